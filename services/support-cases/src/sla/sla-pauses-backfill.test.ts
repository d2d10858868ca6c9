import { randomUUID } from 'node:crypto';
import { migrations } from '@wallet-guard/db';
import { createTestDatabase, type TestDatabase } from '@wallet-guard/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const slaPauses = migrations['20261129120000_cases_sla_pauses'];

describe('the migration that records SLA pauses', () => {
  it('credits cases that waited on the customer before it, from their timeline', async () => {
    if (!slaPauses?.down) throw new Error('migration 20261129120000_cases_sla_pauses (with down) is missing');
    // The database as it was before the migration, with a case that waited twice (1 h, then 30 min
    // ended by an escalation), and one waiting now (credited when that pause ends).
    await slaPauses.down(db.db);
    const waitedTwice = randomUUID();
    const waitingNow = randomUUID();
    const t = (minutes: number) => new Date(Date.UTC(2026, 10, 20, 9, minutes));
    for (const [id, pausedAt] of [
      [waitedTwice, null],
      [waitingNow, t(10)],
    ] as const) {
      await sql`insert into cases (id, type, priority, status, account_id, summary, opened_at,
                  first_response_due_at, resolution_due_at, sla_paused_at)
                values (${id}, 'account_lockout', 'P3', 'open', ${randomUUID()}, 'Locked', ${t(0)},
                  ${t(240)}, ${t(72 * 60)}, ${pausedAt})`.execute(db.db);
    }
    const entry = (caseId: string, at: Date, kind: string, oldValue: unknown, newValue: unknown) =>
      sql`insert into case_timeline (case_id, at, actor, kind, old_value, new_value)
          values (${caseId}, ${at}, 'agent:ada', ${kind}, ${JSON.stringify(oldValue)}::jsonb,
            ${JSON.stringify(newValue)}::jsonb)`.execute(db.db);
    await entry(waitedTwice, t(1), 'status_changed', 'new', 'open');
    await entry(waitedTwice, t(5), 'status_changed', 'open', 'pending_customer');
    await entry(waitedTwice, t(65), 'status_changed', 'pending_customer', 'open');
    await entry(waitedTwice, t(70), 'status_changed', 'open', 'pending_customer');
    await entry(waitedTwice, t(100), 'escalated', 'pending_customer', 'escalated');
    await entry(waitedTwice, t(110), 'resolved', { status: 'escalated' }, { status: 'resolved', outcome: 'unlocked' });
    await entry(waitingNow, t(1), 'status_changed', 'new', 'open');
    await entry(waitingNow, t(10), 'status_changed', 'open', 'pending_customer');

    await slaPauses.up(db.db);
    const rows = await db.db
      .selectFrom('cases')
      .select(['id', 'sla_paused_ms', 'first_response_paused_ms'])
      .where('id', 'in', [waitedTwice, waitingNow])
      .execute();
    const byId = Object.fromEntries(
      rows.map((r) => [r.id, [Number(r.sla_paused_ms), Number(r.first_response_paused_ms)]]),
    );
    expect(byId).toEqual({ [waitedTwice]: [90 * 60_000, 0], [waitingNow]: [0, 0] });
  });
});
