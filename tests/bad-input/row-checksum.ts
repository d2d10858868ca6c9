// A fingerprint of everything a service has stored: row count and a hash of every row, per table.
import { setTimeout as sleep } from 'node:timers/promises';
import { type Kysely, sql } from 'kysely';

/** Bookkeeping that changes on its own while nothing happens (the relay's lease heartbeat). */
const VOLATILE_TABLES = new Set(['relay_leases']);

export type Checksum = Record<string, string>;

/** `table -> "rows:md5"` for every table of the database's public schema. */
export async function databaseChecksum(db: Kysely<unknown>): Promise<Checksum> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const checksum: Checksum = {};
  for (const { name } of tables.rows) {
    if (VOLATILE_TABLES.has(name)) continue;
    const { rows } = await sql<{ n: string; h: string }>`
      select count(*)::text as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h
      from ${sql.table(name)} as t`.execute(db);
    checksum[name] = `${rows[0]?.n}:${rows[0]?.h}`;
  }
  return checksum;
}

/** The tables whose rows differ between two checksums. */
export function changedTables(before: Checksum, after: Checksum): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}

/** Waits until nothing changes any more (relays sent, consumers applied), then returns the checksums. */
export async function settledChecksums(dbs: Kysely<unknown>[], timeoutMs = 20_000): Promise<Checksum[]> {
  const deadline = Date.now() + timeoutMs;
  let previous = await Promise.all(dbs.map(databaseChecksum));
  for (;;) {
    await sleep(300);
    const current = await Promise.all(dbs.map(databaseChecksum));
    if (current.every((c, i) => changedTables(previous[i] as Checksum, c).length === 0)) return current;
    if (Date.now() > deadline) throw new Error('the databases kept changing; cannot take a stable snapshot');
    previous = current;
  }
}
