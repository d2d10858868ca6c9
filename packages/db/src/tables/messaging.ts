import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** bigint columns come back as strings from pg and (by our parser) from PGlite: no precision loss. */
export type Int8 = ColumnType<string, string | number | bigint, string | number | bigint>;

/** Events waiting to leave (or already sent by) the transactional outbox. */
export interface OutboxTable {
  id: Generated<string>;
  event_id: string;
  /** The service that wrote the row; each service's relay sends only its own rows. */
  producer: string;
  topic: string;
  /** Kafka message key: the account id, so one account's events stay in order. */
  message_key: string;
  /** The whole event envelope. */
  payload: JSONColumnType<Record<string, unknown>>;
  headers: JSONColumnType<Record<string, string>>;
  created_at: Generated<Date>;
  /** Relay batch that claimed the row; its number is checkpointed in Kafka with the batch. */
  relay_batch: Int8 | null;
  published_at: Date | null;
}

/** Events a consumer group has already applied: the idempotency record, one row per eventId. */
export interface InboxTable {
  consumer_group: string;
  event_id: string;
  topic: string;
  processed_at: Generated<Date>;
}

/** Dead letters of the embedded bus (with a broker they go to `<topic>.dlq`). */
export interface DeadLetterTable {
  id: Generated<string>;
  consumer_group: string;
  topic: string;
  message_key: string | null;
  /** The record exactly as received, as text. */
  payload: string;
  error_code: string;
  error_message: string;
  created_at: Generated<Date>;
}

/** Which process's relay may send a producer's outbox (one at a time keeps per-account order). */
export interface RelayLeaseTable {
  producer: string;
  holder: string;
  expires_at: Date;
}

export interface MessagingTables {
  outbox: OutboxTable;
  inbox: InboxTable;
  dead_letters: DeadLetterTable;
  relay_leases: RelayLeaseTable;
}
