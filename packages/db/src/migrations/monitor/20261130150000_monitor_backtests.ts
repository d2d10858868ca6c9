import { type Kysely, sql } from 'kysely';

/**
 * What a backtest needs to replay live scoring exactly. The live pipeline scores a Kafka chunk in
 * partition order inside one database transaction, so all of a chunk's rows share `processed_at`
 * (the transaction's `now()`): `seq` keeps the order within it (an account's transactions do not
 * always arrive in event-time order). Rows applied before this migration keep a null `seq` and
 * fall back to event time. Added without a default and then given one: no table rewrite, whatever
 * its size. The sequence caches values per session (one consumer's session numbers its own chunk
 * in increasing order), so the pipeline pays almost nothing per row.
 *
 * Chunks of different partitions run concurrently and serialise on the destinations they pay
 * (`mule_destination`'s cross-account aggregate): `monitor_scoring_chunks` records the order in
 * which chunks got those locks (one row per chunk, numbered once its locks are held), the order
 * a replay must follow. Pruned with the transactions.
 *
 * Rule performance reads flags by event time (`GET /v1/rule-performance`): flags are a small
 * share of transactions, so this index costs little on the hot path.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence monitor_transactions_seq cache 1000`.execute(db);
  await sql`alter table monitor_transactions add column seq bigint`.execute(db);
  await sql`alter table monitor_transactions alter column seq set default nextval('monitor_transactions_seq')`.execute(
    db,
  );
  await sql`alter sequence monitor_transactions_seq owned by monitor_transactions.seq`.execute(db);
  await sql`create index monitor_flags_occurred on monitor_flags (occurred_at)`.execute(db);
  await sql`
    create table monitor_scoring_chunks (
      id bigint generated always as identity primary key,
      processed_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index monitor_scoring_chunks_processed_at on monitor_scoring_chunks using brin (processed_at)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table monitor_scoring_chunks`.execute(db);
  await sql`drop index monitor_flags_occurred`.execute(db);
  await sql`alter table monitor_transactions drop column seq`.execute(db);
}
