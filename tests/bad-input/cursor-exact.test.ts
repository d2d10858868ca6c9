// Kind 1 for cursors: a keyset cursor must carry its key exactly as Postgres holds it. A deadline
// kept to the microsecond and carried in a JS Date (milliseconds) names a point before its own
// row: the next page starts with that row again, and a client following nextCursor never ends.
// Both paging routes (GET /v1/cases, GET /v1/flags) are walked over rows whose keys differ only
// below the millisecond; every row must come exactly once.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { agentToken, FAST_ARGON2, INTERNAL_KEY } from '../security/callers';
import { startServices } from '../security/services';

const system = await startServices(FAST_ARGON2);
afterAll(() => system.stop());

/** Follows nextCursor to the end (giving up after `max` pages: a loop is the failure). */
async function walk(
  fetchPage: (cursor: string | null) => Promise<{ items: { id: string }[]; nextCursor: string | null }>,
  max: number,
) {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < max; page++) {
    const { items, nextCursor } = await fetchPage(cursor);
    seen.push(...items.map((i) => i.id));
    if (nextCursor === null) return seen;
    cursor = nextCursor;
  }
  return seen;
}

describe('cursors carry keys to the microsecond', () => {
  it('GET /v1/cases pages through deadlines a microsecond apart, each case once', async () => {
    const account = randomUUID();
    const ids = Array.from({ length: 4 }, () => randomUUID());
    const base = '2031-05-05T10:00:00.000';
    for (const [i, id] of ids.entries()) {
      const due = `${base}${String(100 + i).padStart(3, '0')}Z`;
      await sql`
        insert into cases (id, type, priority, status, account_id, summary, first_response_due_at, resolution_due_at)
        values (${id}, 'customer_question', 'P4', 'open', ${account}, 'cursor test', ${due}::timestamptz,
                ${due}::timestamptz)`.execute(system.cases.db.db);
    }
    const token = await agentToken('cursor-walker', 'supervisor');
    const seen = await walk(async (cursor) => {
      const url = `/v1/cases?accountId=${account}&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await system.cases.server.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode).toBe(200);
      return res.json();
    }, 10);
    expect(seen).toEqual(ids);
  });

  it('GET /v1/flags pages through flags created a microsecond apart, each flag once', async () => {
    const account = randomUUID();
    const ids = Array.from({ length: 4 }, () => randomUUID());
    for (const [i, id] of ids.entries()) {
      await sql`
        insert into monitor_flags (id, transaction_id, account_id, transaction_type, amount_minor, currency, score,
          decision, shadow_score, shadow_decision, reasons, rules_version, occurred_at, created_at)
        values (${id}, ${`tx-${id}`}, ${account}, 'payment', 100, 'EUR', 10, 'allow', 10, 'allow', '[]'::jsonb, 'test',
          now(), ${`2031-05-05T10:00:00.000${String(400 - i).padStart(3, '0')}Z`}::timestamptz)`.execute(
        system.monitor.db.db,
      );
    }
    const seen = await walk(async (cursor) => {
      const url = `/v1/flags?accountId=${account}&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await system.monitor.server.inject({ method: 'GET', url, headers: { 'x-api-key': INTERNAL_KEY } });
      expect(res.statusCode).toBe(200);
      return res.json();
    }, 10);
    expect(seen).toEqual(ids);
  });
});
