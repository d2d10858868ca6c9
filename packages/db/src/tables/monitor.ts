import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { Int8 } from './messaging';

/** A reason as stored on a flag (the contract's `flagReason`). */
export interface StoredFlagReason {
  rule: string;
  points: number;
  detail: string;
  shadow?: boolean;
}

/** A transaction's detail column: nullable, and optional on insert. */
type Detail<T> = ColumnType<T | null, T | null | undefined, T | null>;

/**
 * Every transaction the monitor has applied, keyed on the wallet's transaction id: the insert
 * that succeeds is the one that scores it and updates statistics, so a redelivery does nothing.
 */
export interface MonitorTransactionTable {
  transaction_id: string;
  account_id: string;
  processed_at: Generated<Date>;
  // What the transaction was: null on rows applied before 20261129090000_transaction_details, so
  // optional on insert.
  type: Detail<string>;
  amount_minor: ColumnType<string | null, string | number | bigint | null | undefined, string | number | bigint | null>;
  currency: Detail<string>;
  counterparty_id: Detail<string>;
  counterparty_kind: Detail<string>;
  counterparty_country: Detail<string>;
  /** When it happened, on the wallet's clock. */
  occurred_at: Detail<Date>;
  /** The whole validated `wallet.transactions.v1` payload, for backtests. */
  payload: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  /** Order of application within one scoring transaction (20261130150000_monitor_backtests); null before it. */
  seq: ColumnType<string | null, never, never>;
}

/** One row per scoring transaction (chunk), numbered in the order it held its destination locks (backtests). */
export interface MonitorScoringChunkTable {
  id: Generated<string>;
  processed_at: Generated<Date>;
}

/** Per-account state the rules read: statistics, devices, places, recent outgoing transactions. */
export interface MonitorAccountProfileTable {
  account_id: string;
  /** The versioned profile document (the service's `profileState` schema). */
  state: JSONColumnType<Record<string, unknown>>;
  transaction_count: ColumnType<string, string | number | bigint | undefined, string | number | bigint>;
  first_seen_at: Date | null;
  last_activity_at: Date | null;
  updated_at: Generated<Date>;
}

/** Counterparties an account has paid: when first, and how much last time. */
export interface MonitorCounterpartyTable {
  account_id: string;
  /** `kind:id` as the wallet names it. */
  counterparty: string;
  first_paid_at: Date;
  last_amount_minor: Int8;
}

/** One account paying one destination (rule `mule_destination`); merged atomically, never overwritten. */
export interface MonitorDestinationPayerTable {
  /** `kind:id` as the wallet names it. */
  counterparty: string;
  account_id: string;
  first_paid_at: Date | null;
  last_paid_at: Date | null;
  payments: ColumnType<number, number | undefined, number>;
  /** Total paid, minor units as strings by ISO 4217 code. */
  amounts: JSONColumnType<Record<string, string>>;
  security_change_at: Date | null;
  flagged_at: Date | null;
  decision: 'review' | 'suspected_theft' | null;
  max_score: ColumnType<number, number | undefined, number>;
  flag_ids: ColumnType<string[], string[] | undefined, string[]>;
  announced: ColumnType<boolean, boolean | undefined, boolean>;
}

/** A destination announced as a mule incident (`risk.mule-destination.v1`): one row, its revision rising. */
export interface MonitorDestinationTable {
  counterparty: string;
  kind: string;
  incident_opened_at: Date;
  revision: number;
  announced_at: Date;
}

/** The account's security timeline as auth announced it (`auth.security-events.v1`). */
export interface MonitorSecurityEventTable {
  event_id: string;
  account_id: string;
  type: string;
  occurred_at: Date;
  ip: string | null;
  device_id: string | null;
  country: string | null;
  /** sign_in.succeeded only: first success from this device / IP. */
  new_device: boolean | null;
  new_ip: boolean | null;
  received_at: Generated<Date>;
}

/** One per scored transaction with at least one rule hit. */
export interface MonitorFlagTable {
  id: string;
  transaction_id: string;
  account_id: string;
  transaction_type: string;
  amount_minor: Int8;
  currency: string;
  score: number;
  decision: string;
  shadow_score: number;
  shadow_decision: string;
  reasons: JSONColumnType<StoredFlagReason[]>;
  security_event_ids: JSONColumnType<string[]>;
  rules_version: string;
  occurred_at: Date;
  created_at: Generated<Date>;
  /** The lists version the flag was scored with (20261130140000_monitor_lists); null on older flags. */
  lists_version: ColumnType<string | null, string | number | bigint | null | undefined, never>;
  /** What the flagged transaction paid, as the wallet named it; null when it named none or on older flags. */
  counterparty_kind: Detail<string>;
  counterparty_id: Detail<string>;
}

/** Agents' labels on flags (append-only; the latest counts), kept to tune the rules. */
export interface MonitorFlagFeedbackTable {
  id: Generated<string>;
  flag_id: string;
  label: string;
  actor: string;
  case_id: string | null;
  note: string | null;
  created_at: Generated<Date>;
}

/** The lists' version: one row, bumped by every change to the lists (20261130140000_monitor_lists). */
export interface MonitorListsVersionTable {
  id: ColumnType<boolean, never, never>;
  version: Int8;
}

/** A managed list entry (block, review or allow a counterparty, device, IP prefix or country). */
export interface MonitorListEntryTable {
  id: string;
  kind: string;
  /** counterparty: `kind:id`; device: its id; ip: a canonical CIDR prefix; country: ISO 3166-1 alpha-2. */
  value: string;
  action: string;
  reason: string;
  author: string;
  expires_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  updated_by: string;
  /** The lists version of the entry's latest change. */
  version: Int8;
  removed_at: Date | null;
  removed_by: string | null;
}

/** Every change to the lists (append-only: a trigger refuses updates and deletes). */
export interface MonitorListAuditTable {
  /** The lists version this change produced. */
  version: Int8;
  entry_id: string;
  operation: string;
  actor: string;
  at: Generated<Date>;
  /** The reason given for a removal. */
  note: string | null;
  before: ColumnType<Record<string, unknown> | null, string | null, never>;
  after: ColumnType<Record<string, unknown>, string, never>;
}

/** Auto-freeze calls to auth, written with the flag and retried until auth answers. */
export interface MonitorFreezeRequestTable {
  id: Generated<string>;
  account_id: string;
  flag_id: string;
  reason: string;
  status: ColumnType<'pending' | 'done' | 'failed', 'pending' | 'done' | 'failed' | undefined>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_error: string | null;
  created_at: Generated<Date>;
  completed_at: Date | null;
}

export interface MonitorTables {
  monitor_transactions: MonitorTransactionTable;
  monitor_scoring_chunks: MonitorScoringChunkTable;
  monitor_account_profiles: MonitorAccountProfileTable;
  monitor_counterparties: MonitorCounterpartyTable;
  monitor_destination_payers: MonitorDestinationPayerTable;
  monitor_destinations: MonitorDestinationTable;
  monitor_security_events: MonitorSecurityEventTable;
  monitor_flags: MonitorFlagTable;
  monitor_flag_feedback: MonitorFlagFeedbackTable;
  monitor_freeze_requests: MonitorFreezeRequestTable;
  monitor_lists_version: MonitorListsVersionTable;
  monitor_list_entries: MonitorListEntryTable;
  monitor_list_audit: MonitorListAuditTable;
}
