import { type Kysely, sql } from 'kysely';

/**
 * What each applied transaction was, beside its id: enough for a customer to recognise it in the
 * account portal (type, amount, counterparty, when) and, as the whole validated payload, for a
 * later backtest of new rules on past traffic. Rows applied before this migration keep nulls and
 * are never listed. Retention (`MONITOR_RETENTION_DAYS`, by `processed_at`) prunes them as before.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Nullable columns without defaults: adding them rewrites nothing, whatever the table's size.
  await sql`
    alter table monitor_transactions
      add column type text,
      add column amount_minor bigint,
      add column currency text,
      add column counterparty_id text,
      add column counterparty_kind text,
      add column counterparty_country text,
      add column occurred_at timestamptz,
      add column payload jsonb`.execute(db);
  // One account's newest transactions (GET /v1/accounts/:accountId/transactions): the account's
  // rows (as many as MONITOR_RETENTION_DAYS keeps) are found here and sorted. On account_id alone,
  // not (account_id, occurred_at): every transaction adds to this index, and equal keys share a
  // posting list (btree deduplication) where unique two-column keys do not. Measured with
  // tests/bench/monitor-throughput.ts: the two-column index cut 9,435 tx/s to 4,208 in runs back to
  // back; with this one the throughput stays (services/transaction-monitor/README.md).
  await sql`create index monitor_transactions_account on monitor_transactions (account_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index monitor_transactions_account`.execute(db);
  await sql`
    alter table monitor_transactions
      drop column type,
      drop column amount_minor,
      drop column currency,
      drop column counterparty_id,
      drop column counterparty_kind,
      drop column counterparty_country,
      drop column occurred_at,
      drop column payload`.execute(db);
}
