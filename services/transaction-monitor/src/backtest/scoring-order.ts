import type { Database } from '@wallet-guard/db';
import { type Kysely, sql, type Transaction } from 'kysely';

/**
 * Numbers the current scoring transaction (chunk) once it holds its profile and destination
 * locks: chunks of different partitions that pay one destination see each other in this order,
 * which a backtest replays (`scoringOrder`). One tiny insert per chunk, whatever its size.
 */
export async function recordScoringOrder(trx: Transaction<Database>): Promise<void> {
  await sql`insert into monitor_scoring_chunks default values`.execute(trx);
}

/**
 * The order number of each chunk that scored between `from` and `to` (epoch microseconds of
 * `processed_at`, the chunk's key in `monitor_transactions`). Chunks applied before
 * 20261130150000_monitor_backtests have none.
 */
export async function scoringOrder(db: Kysely<Database>, from: number, to: number): Promise<Map<number, number>> {
  const { rows } = await sql<{ chunk: string; id: string }>`
    select (extract(epoch from processed_at) * 1000000)::bigint::text as chunk, id::text as id
    from monitor_scoring_chunks
    where processed_at >= to_timestamp(${from / 1e6}) - interval '1 second'
      and processed_at <= to_timestamp(${to / 1e6}) + interval '1 second'`.execute(db);
  return new Map(rows.map((r) => [Number(r.chunk), Number(r.id)]));
}

/** Forgets the order of chunks older than `before` (with the transactions they applied). */
export async function pruneScoringOrder(db: Kysely<Database>, before: Date): Promise<number> {
  const result = await db.deleteFrom('monitor_scoring_chunks').where('processed_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
