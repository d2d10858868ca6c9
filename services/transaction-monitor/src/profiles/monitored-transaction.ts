import { OUTGOING_TRANSACTION_TYPES, type TransactionType, type WalletTransaction } from '@wallet-guard/contracts';

/**
 * A wallet transaction as the rules and the profile read it: money as bigint minor units, time
 * as epoch milliseconds of the wallet's own clock (rules use event time, so a replay scores the
 * same as the original run).
 */
export interface MonitoredTransaction {
  transactionId: string;
  accountId: string;
  type: TransactionType;
  outgoing: boolean;
  amount: bigint;
  currency: string;
  balanceAfter: bigint | null;
  /** Derived from `balanceAfter`: what the account held just before this transaction. */
  balanceBefore: bigint | null;
  /** `kind:id`, so the same id on a card and a bank account stay two counterparties. */
  counterparty: string | null;
  counterpartyKind: string | null;
  deviceId: string | null;
  /** Canonical text (the contract's `canonicalIp`), for the managed IP lists. */
  ip: string | null;
  country: string | null;
  location: { lat: number; lon: number } | null;
  at: number;
}

const OUTGOING = new Set<TransactionType>(OUTGOING_TRANSACTION_TYPES);

export function toMonitoredTransaction(tx: WalletTransaction): MonitoredTransaction {
  const outgoing = OUTGOING.has(tx.type);
  const amount = BigInt(tx.amountMinor);
  const balanceAfter = tx.balanceAfterMinor === undefined ? null : BigInt(tx.balanceAfterMinor);
  const { lat, lon } = tx.context ?? {};
  return {
    transactionId: tx.transactionId,
    // Postgres hands UUIDs back in lower case: one spelling, or an upper-case id would miss its profile.
    accountId: tx.accountId.toLowerCase(),
    type: tx.type,
    outgoing,
    amount,
    currency: tx.currency,
    balanceAfter,
    balanceBefore: balanceAfter === null ? null : outgoing ? balanceAfter + amount : balanceAfter - amount,
    counterparty: tx.counterparty ? `${tx.counterparty.kind}:${tx.counterparty.id}` : null,
    counterpartyKind: tx.counterparty?.kind ?? null,
    deviceId: tx.context?.deviceId ?? null,
    ip: tx.context?.ip ?? null,
    country: tx.context?.country ?? null,
    location: lat !== undefined && lon !== undefined ? { lat, lon } : null,
    at: Date.parse(tx.occurredAt),
  };
}
