import type { SecurityEvent, TransactionType, WalletTransaction } from '@wallet-guard/contracts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const SCENARIOS = [
  'account_takeover',
  'drain',
  'structuring',
  'test_then_large',
  'mule_ring',
  'dormant_small_balance',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** Ground truth for one transaction: who made it and whether it is part of an injected attack. */
export interface Label {
  scenario: Scenario | 'normal';
  /** The injected incident it belongs to (scenario accounts' own activity has none). */
  incident: string | null;
  malicious: boolean;
}

export const NORMAL: Label = { scenario: 'normal', incident: null, malicious: false };

export type Counterparty = NonNullable<WalletTransaction['counterparty']>;
export type Context = NonNullable<WalletTransaction['context']>;

/** A transaction to make at `at`, sized against the balance it finds (null: it does not happen). */
export interface PlannedTransaction {
  kind: 'transaction';
  at: number;
  type: TransactionType;
  amount: (balance: bigint) => bigint | null;
  counterparty?: Counterparty;
  context: Context;
  label: Label;
}

export interface PlannedSecurityEvent {
  kind: 'security';
  at: number;
  type: SecurityEvent['type'];
  payload: Record<string, unknown>;
}

export type Planned = PlannedTransaction | PlannedSecurityEvent;

const OUTGOING = new Set<TransactionType>(['withdrawal', 'transfer_out', 'payment']);

/** Spends at most what the account holds: a normal customer's payment never overdraws. */
export const upTo =
  (amount: number) =>
  (balance: bigint): bigint | null => {
    const wanted = BigInt(Math.max(1, Math.round(amount)));
    return wanted <= balance ? wanted : null;
  };

/** A share of whatever the account holds when it happens (how thieves size a drain). */
export const shareOfBalance =
  (share: number) =>
  (balance: bigint): bigint | null => {
    const amount = (balance * BigInt(Math.round(share * 10_000))) / 10_000n;
    return amount > 0n ? amount : null;
  };

export const isOutgoing = (type: TransactionType) => OUTGOING.has(type);
