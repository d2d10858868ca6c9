import type { TransactionType } from '@wallet-guard/contracts';
import type { Evaluated } from '../scoring/evaluate';
import type { ScoreOutcome } from '../scoring/score';

/** A flag as the pipeline writes it: the score outcome and the transaction it belongs to. */
export interface FlagRecord extends ScoreOutcome {
  id: string;
  transactionId: string;
  accountId: string;
  transactionType: TransactionType;
  amountMinor: string;
  currency: string;
  rulesVersion: string;
  /** The managed lists' version it was scored with. */
  listsVersion: number;
  /** The payee, as the wallet named it (kind and id), or null. */
  counterpartyKind: string | null;
  counterpartyId: string | null;
  occurredAt: Date;
}

/** A scored transaction deserves a flag when any rule hit it, live or shadow. */
export const deservesFlag = ({ outcome }: Evaluated) => outcome.reasons.length > 0;

export function toFlagRecord(
  { tx, outcome }: Evaluated,
  rulesVersion: string,
  id: string,
  listsVersion: number,
): FlagRecord {
  return {
    ...outcome,
    id,
    transactionId: tx.transactionId,
    accountId: tx.accountId,
    transactionType: tx.type,
    amountMinor: tx.amount.toString(),
    currency: tx.currency,
    rulesVersion,
    listsVersion,
    counterpartyKind: tx.counterpartyKind,
    counterpartyId: tx.counterparty === null ? null : tx.counterparty.slice((tx.counterpartyKind ?? '').length + 1),
    occurredAt: new Date(tx.at),
  };
}
