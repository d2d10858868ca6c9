import { type DatabaseHandle, migrateAllDown, migrateToLatest, migrationStatus, migrations } from '@wallet-guard/db';
import { createEmbeddedDatabase, createTestDatabase } from '@wallet-guard/testing';
import { type Kysely, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';

// biome-ignore lint/suspicious/noExplicitAny: inspecting the catalog, not our tables
async function tables(db: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_name not like 'kysely_%' order by table_name`.execute(db);
  return rows.map((r) => r.table_name);
}

const handles: (DatabaseHandle & { drop?: () => Promise<void> })[] = [];
afterAll(async () => {
  for (const h of handles) await (h.drop ? h.drop() : h.close());
});

describe.each([
  ['Postgres', async () => createTestDatabase()],
  ['embedded PGlite', async () => createEmbeddedDatabase()],
])('migrations on %s', (_name, open) => {
  it('run up to the latest, all the way down, and up again', async () => {
    const handle = await open();
    handles.push(handle);
    await migrateToLatest(handle.db);
    const migrated = await tables(handle.db);
    expect(migrated).toEqual(expect.arrayContaining(['dead_letters', 'inbox', 'outbox', 'relay_leases']));
    expect((await migrationStatus(handle.db)).every((m) => m.executedAt !== null)).toBe(true);

    const reverted = await migrateAllDown(handle.db);
    expect(reverted).toHaveLength(Object.keys(migrations).length);
    expect(await tables(handle.db)).toEqual([]);

    await migrateToLatest(handle.db);
    expect(await tables(handle.db)).toEqual(migrated);
    expect(await migrateToLatest(handle.db)).toEqual([]);
  });

  it('returns 64-bit integers as strings, timestamps as Dates and jsonb as objects', async () => {
    const handle = await open();
    handles.push(handle);
    await migrateToLatest(handle.db);
    const row = await handle.db
      .insertInto('outbox')
      .values({
        event_id: '0f8f7a2e-3c1b-4a55-9d8e-2b6c4e1f9a10',
        producer: 'test',
        topic: 't',
        message_key: 'k',
        payload: JSON.stringify({ big: '9223372036854775807' }),
        headers: JSON.stringify({}),
        relay_batch: '9223372036854775807',
      })
      .returning(['id', 'relay_batch', 'created_at', 'payload'])
      .executeTakeFirstOrThrow();
    expect(typeof row.id).toBe('string');
    expect(row.relay_batch).toBe('9223372036854775807');
    expect(row.created_at).toBeInstanceOf(Date);
    expect(row.payload).toEqual({ big: '9223372036854775807' });
  });
});
