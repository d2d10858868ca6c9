import { randomUUID } from 'node:crypto';
import type { CaseView } from '@wallet-guard/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagBreaches } from '../sla/breaches';
import { type CasesHarness, startCases } from '../testing/harness';
import { CUSTOMER, SYSTEM } from './actor';
import { incidentKinds } from './case-rules';
import { recordIncident } from './incidents';

let h: CasesHarness;
beforeAll(async () => {
  h = await startCases();
});
afterAll(() => h.close());

const deps = () => h.context;

async function openLockoutCase(accountId: string = randomUUID()) {
  const { case: c } = await h.db.db.transaction().execute((trx) =>
    recordIncident(trx, deps(), {
      kind: incidentKinds.lockout(accountId),
      accountId,
      actor: SYSTEM,
      detail: 'Locked after 5 failures',
      evidence: [{ kind: 'security_event', ref: randomUUID() }],
    }),
  );
  return c;
}

const post = (agent: string, role: 'agent' | 'supervisor', url: string, payload?: object) =>
  h.asAgent(agent, role, { method: 'POST', url, ...(payload ? { payload } : {}) });

describe('one open case per incident key', () => {
  it('gives ten concurrent incidents on one key exactly one case with ten occurrences', async () => {
    const accountId = randomUUID();
    await Promise.all(
      Array.from({ length: 10 }, () =>
        h.db.db.transaction().execute((trx) =>
          recordIncident(trx, deps(), {
            kind: incidentKinds.lockout(accountId),
            accountId,
            actor: SYSTEM,
            detail: 'Locked',
            evidence: [],
          }),
        ),
      ),
    );
    const cases = await h.db.db.selectFrom('cases').selectAll().where('account_id', '=', accountId).execute();
    expect(cases).toHaveLength(1);
    expect(cases[0]?.occurrence_count).toBe(10);
  });

  it('refuses a second open case holding the same key (partial unique index)', async () => {
    const c = await openLockoutCase();
    await expect(
      sql`insert into case_incident_keys (incident_key, case_id) values (${`lockout:${c.accountId}`}, ${c.id})`.execute(
        h.db.db,
      ),
    ).rejects.toThrow(/duplicate key|unique/);
  });
});

describe('the timeline is append-only', () => {
  it('refuses UPDATE and DELETE on case_timeline', async () => {
    const c = await openLockoutCase();
    await expect(
      sql`update case_timeline set body = 'rewritten' where case_id = ${c.id}`.execute(h.db.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from case_timeline where case_id = ${c.id}`.execute(h.db.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`truncate case_timeline`.execute(h.db.db)).rejects.toThrow(/append-only/);
  });
});

describe('agent actions', () => {
  it('claims a case; another agent gets 409 CASE_ALREADY_CLAIMED; a supervisor may take over', async () => {
    const c = await openLockoutCase();
    const first = await post('alice', 'agent', `/v1/cases/${c.id}/claim`);
    expect(first.statusCode).toBe(200);
    expect(first.json<CaseView>()).toMatchObject({ assignee: 'alice', status: 'open' });
    expect(first.json<CaseView>().firstRespondedAt).not.toBeNull();
    const second = await post('bob', 'agent', `/v1/cases/${c.id}/claim`);
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ error: { code: 'CASE_ALREADY_CLAIMED', details: { assignee: 'alice' } } });
    const note = await post('bob', 'agent', `/v1/cases/${c.id}/notes`, { body: 'sneaky', visibility: 'internal' });
    expect(note.json().error.code).toBe('CASE_ALREADY_CLAIMED');
    const takeover = await post('carol', 'supervisor', `/v1/cases/${c.id}/claim`);
    expect(takeover.json<CaseView>().assignee).toBe('carol');
  });

  it('records every change on the timeline with actor, old and new values; notes keep their visibility', async () => {
    const c = await openLockoutCase();
    await post('alice', 'agent', `/v1/cases/${c.id}/notes`, { body: 'Called the customer', visibility: 'internal' });
    await post('alice', 'agent', `/v1/cases/${c.id}/notes`, { body: 'We are looking into it', visibility: 'public' });
    await post('alice', 'agent', `/v1/cases/${c.id}/escalate`, { reason: 'Looks like fraud' });
    const resolved = await post('carol', 'supervisor', `/v1/cases/${c.id}/resolve`, {
      outcome: 'customer_error',
      note: 'Forgot password',
    });
    expect(resolved.json<CaseView>()).toMatchObject({ status: 'resolved', outcome: 'customer_error', nextDueAt: null });
    const detail = await h.asAgent('alice', 'agent', { method: 'GET', url: `/v1/cases/${c.id}` });
    expect(detail.statusCode).toBe(200);
    const timeline = detail.json().timeline as {
      actor: string;
      kind: string;
      visibility: string;
      oldValue: unknown;
      newValue: unknown;
      body: string | null;
    }[];
    expect(timeline.map((t) => [t.actor, t.kind])).toEqual([
      ['system', 'opened'],
      ['agent:alice', 'assigned'],
      ['agent:alice', 'status_changed'],
      ['agent:alice', 'note'],
      ['agent:alice', 'note'],
      ['agent:alice', 'escalated'],
      ['agent:carol', 'assigned'],
      ['agent:carol', 'resolved'],
    ]);
    expect(timeline[2]).toMatchObject({ oldValue: 'new', newValue: 'open' });
    expect(timeline.filter((t) => t.kind === 'note').map((t) => t.visibility)).toEqual(['internal', 'public']);
    expect(timeline[7]).toMatchObject({
      newValue: { status: 'resolved', outcome: 'customer_error' },
      body: 'Forgot password',
    });
    // The account context comes from other services; when they do not answer the case still shows.
    expect(detail.json().account.available).toBe(false);
  });

  it('refuses a status change the workflow does not allow, and acting on a resolved case until reopened', async () => {
    const c = await openLockoutCase();
    const bad = await post('alice', 'agent', `/v1/cases/${c.id}/status`, { status: 'closed' });
    expect(bad.statusCode).toBe(409);
    expect(bad.json().error.code).toBe('CASE_INVALID_TRANSITION');
    await post('alice', 'agent', `/v1/cases/${c.id}/resolve`, { outcome: 'inconclusive', note: 'n/a' });
    const late = await post('alice', 'agent', `/v1/cases/${c.id}/notes`, { body: 'late', visibility: 'internal' });
    expect([late.statusCode, late.json().error.code]).toEqual([409, 'CASE_CLOSED']);
    const reopened = await post('alice', 'agent', `/v1/cases/${c.id}/reopen`, { reason: 'Customer wrote back' });
    expect(reopened.json<CaseView>()).toMatchObject({ status: 'open', outcome: null });
    // The reopened case holds its incident key again: a new lockout joins it.
    await openLockoutCase(c.accountId);
    const cases = await h.db.db
      .selectFrom('cases')
      .select(['id', 'occurrence_count'])
      .where('account_id', '=', c.accountId)
      .execute();
    expect(cases).toEqual([{ id: c.id, occurrence_count: 2 }]);
  });

  it('leaves an escalated case to supervisors: an agent cannot set it back to work, waiting or resolved', async () => {
    const c = await openLockoutCase();
    expect(
      (await post('alice', 'agent', `/v1/cases/${c.id}/escalate`, { reason: 'Needs a supervisor' })).statusCode,
    ).toBe(200);
    const attempts = [
      ['status', { status: 'open' }],
      ['status', { status: 'pending_customer' }],
      ['resolve', { outcome: 'unlocked', note: 'done' }],
    ] as const;
    for (const [action, payload] of attempts) {
      const res = await post('alice', 'agent', `/v1/cases/${c.id}/${action}`, payload);
      expect([action, res.statusCode, res.json().error?.code, res.json().error?.details?.roles]).toEqual([
        action,
        403,
        'CASE_FORBIDDEN',
        ['supervisor'],
      ]);
    }
    const row = await h.db.db.selectFrom('cases').select(['status', 'queue']).where('id', '=', c.id).executeTakeFirst();
    expect(row).toEqual({ status: 'escalated', queue: 'supervisors' });
    // Escalating twice is no move at all.
    const again = await post('alice', 'agent', `/v1/cases/${c.id}/escalate`, { reason: 'again' });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'CASE_INVALID_TRANSITION']);
    const back = await post('sam', 'supervisor', `/v1/cases/${c.id}/status`, { status: 'open' });
    expect(back.json<CaseView>()).toMatchObject({ status: 'open', queue: 'agents', assignee: 'sam' });
  });

  it("reopens a case a supervisor resolved from escalation into the agents' queue", async () => {
    const c = await openLockoutCase();
    await post('alice', 'agent', `/v1/cases/${c.id}/escalate`, { reason: 'Needs a supervisor' });
    await post('sam', 'supervisor', `/v1/cases/${c.id}/resolve`, { outcome: 'confirmed_theft', note: 'Confirmed' });
    // The supervisor holds it now: the agent who escalated it cannot reopen it behind their back.
    const byAgent = await post('alice', 'agent', `/v1/cases/${c.id}/reopen`, { reason: 'Customer wrote back' });
    expect(byAgent.json().error.code).toBe('CASE_ALREADY_CLAIMED');
    const reopened = await post('sam', 'supervisor', `/v1/cases/${c.id}/reopen`, { reason: 'Customer wrote back' });
    expect(reopened.json<CaseView>()).toMatchObject({ status: 'open', queue: 'agents', assignee: 'sam' });
    const twice = await post('sam', 'supervisor', `/v1/cases/${c.id}/reopen`, { reason: 'again' });
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'CASE_INVALID_TRANSITION']);
  });

  it('answers 404 CASE_NOT_FOUND for an unknown case and 400 for a malformed id', async () => {
    const missing = await post('alice', 'agent', `/v1/cases/${randomUUID()}/claim`);
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'CASE_NOT_FOUND']);
    const malformed = await post('alice', 'agent', '/v1/cases/not-a-uuid/claim');
    expect([malformed.statusCode, malformed.json().error.code]).toEqual([400, 'CASE_VALIDATION_FAILED']);
  });
});

describe('SLAs', () => {
  it('sets due times from the priority and stops the clock while waiting for the customer', async () => {
    const c = await openLockoutCase();
    const opened = c.openedAt.getTime();
    expect(c.firstResponseDueAt.getTime() - opened).toBe(4 * 3_600_000); // P3: 4 h
    expect(c.resolutionDueAt.getTime() - opened).toBe(72 * 3_600_000); // P3: 72 h
    const claimed = (await post('alice', 'agent', `/v1/cases/${c.id}/claim`)).json<CaseView>();
    expect(claimed.nextDueAt).toBe(claimed.resolutionDueAt);

    const paused = (
      await post('alice', 'agent', `/v1/cases/${c.id}/status`, { status: 'pending_customer' })
    ).json<CaseView>();
    expect(paused.slaPaused).toBe(true);
    // Two hours pass while the customer is away (on the service's clock rather than waited for).
    h.clock.advance(2 * 3_600_000);
    const resumed = (await post('alice', 'agent', `/v1/cases/${c.id}/status`, { status: 'open' })).json<CaseView>();
    expect(resumed.slaPaused).toBe(false);
    const shift = Date.parse(resumed.resolutionDueAt) - c.resolutionDueAt.getTime();
    expect(shift).toBeGreaterThanOrEqual(2 * 3_600_000);
    expect(shift).toBeLessThan(2 * 3_600_000 + 60_000);
  });

  it('flags a missed deadline once, on the timeline and in the queue filter, but not while paused', async () => {
    const late = await openLockoutCase();
    const waiting = await openLockoutCase();
    await post('alice', 'agent', `/v1/cases/${waiting.id}/status`, { status: 'pending_customer' });
    // Both deadlines of both cases (P3: 4 h, 72 h) pass, on the service's clock.
    h.clock.advance(72 * 3_600_000 + 60_000);
    expect(await flagBreaches(h.db.db, h.infra.bus, h.clock.now())).toBeGreaterThanOrEqual(2);
    expect(await flagBreaches(h.db.db, h.infra.bus, h.clock.now())).toBe(0);
    const breached = await h.asAgent('alice', 'agent', {
      method: 'GET',
      url: `/v1/cases?breached=true&accountId=${late.accountId}`,
    });
    expect(breached.json().items.map((c: CaseView) => [c.id, c.breached])).toEqual([
      [late.id, { firstResponse: true, resolution: true }],
    ]);
    const waitingRow = await h.db.db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', waiting.id)
      .executeTakeFirstOrThrow();
    expect([waitingRow.first_response_breached, waitingRow.resolution_breached]).toEqual([false, false]);
    const kinds = await h.db.db
      .selectFrom('case_timeline')
      .select('kind')
      .where('case_id', '=', late.id)
      .where('kind', '=', 'sla_breached')
      .execute();
    expect(kinds).toHaveLength(2);
    const outbox = await h.db.db
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'support.case-events.v1')
      .execute();
    expect(
      outbox.filter(
        (r) => r.payload.type === 'sla.breached' && (r.payload.payload as { caseId: string }).caseId === late.id,
      ),
    ).toHaveLength(2);
  });
});

describe('the queue', () => {
  it('sorts by the next SLA deadline, filters, and pages with a cursor without repeats', async () => {
    const accountId = randomUUID();
    const lockout = await openLockoutCase(accountId);
    const { case: frozen } = await h.db.db.transaction().execute((trx) =>
      recordIncident(trx, deps(), {
        kind: incidentKinds.frozen(accountId),
        accountId,
        actor: CUSTOMER,
        detail: 'Frozen',
        evidence: [],
      }),
    );
    const page1 = await h.asAgent('alice', 'agent', { method: 'GET', url: `/v1/cases?accountId=${accountId}&limit=1` });
    expect(page1.json().items.map((c: CaseView) => c.id)).toEqual([frozen.id]); // P1 is due first
    const page2 = await h.asAgent('alice', 'agent', {
      method: 'GET',
      url: `/v1/cases?accountId=${accountId}&limit=1&cursor=${page1.json().nextCursor}`,
    });
    expect(page2.json().items.map((c: CaseView) => c.id)).toEqual([lockout.id]);
    expect(page2.json().nextCursor).toBeNull();
    const p3 = await h.asAgent('alice', 'agent', {
      method: 'GET',
      url: `/v1/cases?accountId=${accountId}&priority=P3,P4&status=new`,
    });
    expect(p3.json().items.map((c: CaseView) => c.id)).toEqual([lockout.id]);
    await post('alice', 'agent', `/v1/cases/${lockout.id}/claim`);
    const mine = await h.asAgent('alice', 'agent', {
      method: 'GET',
      url: `/v1/cases?accountId=${accountId}&assignee=me`,
    });
    expect(mine.json().items.map((c: CaseView) => c.id)).toEqual([lockout.id]);
    const unassigned = await h.asAgent('alice', 'agent', {
      method: 'GET',
      url: `/v1/cases?accountId=${accountId}&assignee=none`,
    });
    expect(unassigned.json().items.map((c: CaseView) => c.id)).toEqual([frozen.id]);
    const badCursor = await h.asAgent('alice', 'agent', { method: 'GET', url: '/v1/cases?cursor=garbage' });
    expect([badCursor.statusCode, badCursor.json().error.code]).toEqual([400, 'CASE_INVALID_CURSOR']);
    const badFilter = await h.asAgent('alice', 'agent', { method: 'GET', url: '/v1/cases?status=sleeping' });
    expect(badFilter.statusCode).toBe(400);
  });
});

describe('customers (through the wallet backend)', () => {
  it('opens a case from a complaint and shows the customer only its status and public notes', async () => {
    const accountId = randomUUID();
    const opened = await h.server.inject({
      method: 'POST',
      url: '/v1/customer-cases',
      headers: { 'x-api-key': 'dev-wallet-key' },
      payload: {
        accountId,
        category: 'complaint',
        message: 'My transfer is late',
        transactionIds: ['tx-1'],
        locale: 'de',
      },
    });
    expect(opened.statusCode).toBe(201);
    const { caseId } = opened.json();
    await post('alice', 'agent', `/v1/cases/${caseId}/notes`, {
      body: 'internal: check the bank',
      visibility: 'internal',
    });
    await post('alice', 'agent', `/v1/cases/${caseId}/notes`, {
      body: 'We are checking with the bank',
      visibility: 'public',
    });
    const listed = await h.server.inject({
      method: 'GET',
      url: `/v1/customer-cases?accountId=${accountId}`,
      headers: { 'x-api-key': 'dev-wallet-key' },
    });
    expect(listed.statusCode).toBe(200);
    const [item] = listed.json().items;
    expect(item).toMatchObject({ caseId, type: 'customer_complaint', status: 'open' });
    expect(item.publicNotes.map((n: { from: string; body: string }) => [n.from, n.body])).toEqual([
      ['customer', 'My transfer is late'],
      ['support', 'We are checking with the bank'],
    ]);
    expect(JSON.stringify(listed.json())).not.toContain('internal: check the bank');
    expect(JSON.stringify(listed.json())).not.toContain('alice');
    const c = await h.db.db
      .selectFrom('cases')
      .select(['priority', 'locale'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(c).toEqual({ priority: 'P3', locale: 'de' });
  });

  it('requires the wallet scope', async () => {
    const none = await h.server.inject({ method: 'GET', url: `/v1/customer-cases?accountId=${randomUUID()}` });
    const internal = await h.server.inject({
      method: 'GET',
      url: `/v1/customer-cases?accountId=${randomUUID()}`,
      headers: { 'x-api-key': 'dev-internal-key' },
    });
    expect([none.statusCode, internal.statusCode]).toEqual([401, 403]);
  });
});
