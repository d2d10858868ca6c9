import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../cases/actor';
import { type CasePriority, incidentKinds, theftJoins } from '../cases/case-rules';
import { recordIncident } from '../cases/incidents';
import { type CasesHarness, startCases } from '../testing/harness';
import { flagBreaches } from './breaches';

let h: CasesHarness;
beforeAll(async () => {
  h = await startCases();
});
afterAll(() => h.close());

const deps = () => h.context;
const post = (agent: string, role: 'agent' | 'supervisor', url: string, payload?: object) =>
  h.asAgent(agent, role, { method: 'POST', url, ...(payload ? { payload } : {}) });

async function openLockoutCase() {
  const accountId = randomUUID();
  const { case: c } = await h.db.db.transaction().execute((trx) =>
    recordIncident(trx, deps(), {
      kind: incidentKinds.lockout(accountId),
      accountId,
      actor: SYSTEM,
      detail: 'Locked after 5 failures',
      evidence: [],
    }),
  );
  return c;
}

/** A theft suspicion on the account: it joins the open case and raises it to P1. */
async function theftJoins_(accountId: string) {
  await h.db.db.transaction().execute((trx) =>
    recordIncident(trx, deps(), {
      kind: incidentKinds.theft(accountId),
      accountId,
      joinKeys: theftJoins(accountId),
      actor: SYSTEM,
      detail: 'Suspected theft',
      evidence: [],
    }),
  );
}

/** The customer is away `ms` (the service's clock moves on rather than the test waiting). */
function waitOnCustomer(ms: number) {
  h.clock.advance(ms);
}

const row = (caseId: string) =>
  h.db.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();

/**
 * The invariant of this kind, computed here independently of the service's code: the resolution
 * deadline is the opening plus the policy of the current priority plus the recorded pauses, and
 * the recorded pauses hold at least the waiting the test put in (at most a minute more: the
 * requests themselves take time).
 */
async function expectDerived(caseId: string, priority: CasePriority, waitedMs: number) {
  const r = await row(caseId);
  const paused = Number(r.sla_paused_ms);
  expect([r.priority, r.sla_paused_at]).toEqual([priority, null]);
  expect(paused).toBeGreaterThanOrEqual(waitedMs);
  expect(paused).toBeLessThan(waitedMs + 60_000);
  const policy = h.config.sla.resolutionMinutes[priority] * 60_000;
  expect(r.resolution_due_at.getTime() - r.opened_at.getTime()).toBe(policy + paused);
}

describe('SLA deadlines derive from the policy plus the recorded pauses', () => {
  it('keeps 6 s waited on the customer when a theft joins a P3 lockout case and raises it to P1', async () => {
    const c = await openLockoutCase();
    await post('alice', 'agent', `/v1/cases/${c.id}/status`, { status: 'pending_customer' });
    waitOnCustomer(6_000);
    await post('alice', 'agent', `/v1/cases/${c.id}/status`, { status: 'open' });
    await expectDerived(c.id, 'P3', 6_000);
    await theftJoins_(c.accountId);
    await expectDerived(c.id, 'P1', 6_000);
  });

  it('does not show a case that waited a day on the customer as breached once a theft raises it', async () => {
    const c = await openLockoutCase();
    // A minute after opening the agent answers and waits on the customer, who is away for a day.
    h.clock.advance(60_000);
    await post('alice', 'agent', `/v1/cases/${c.id}/status`, { status: 'pending_customer' });
    waitOnCustomer(86_400_000);
    await post('alice', 'agent', `/v1/cases/${c.id}/status`, { status: 'open' });
    await theftJoins_(c.accountId);
    await expectDerived(c.id, 'P1', 86_400_000);
    await flagBreaches(h.db.db, h.infra.bus, h.clock.now());
    const r = await row(c.id);
    expect([r.first_response_breached, r.resolution_breached]).toEqual([false, false]);
  });

  it('credits every pause, however it ends (back to work, escalation, supervisor, resolution), through reopen and raise', async () => {
    const c = await openLockoutCase();
    let waited = 0;
    const pause = async (agent: string, role: 'agent' | 'supervisor', ms: number) => {
      expect((await post(agent, role, `/v1/cases/${c.id}/status`, { status: 'pending_customer' })).statusCode).toBe(
        200,
      );
      waitOnCustomer(ms);
      waited += ms;
    };

    await pause('alice', 'agent', 10_000);
    expect(
      (await post('alice', 'agent', `/v1/cases/${c.id}/escalate`, { reason: 'Needs a supervisor' })).statusCode,
    ).toBe(200);
    await expectDerived(c.id, 'P3', waited);

    await pause('sam', 'supervisor', 20_000);
    expect((await post('sam', 'supervisor', `/v1/cases/${c.id}/status`, { status: 'open' })).statusCode).toBe(200);
    await expectDerived(c.id, 'P3', waited);

    // Raised while the customer is away: the running pause is credited when it ends.
    await pause('sam', 'supervisor', 5_000);
    await theftJoins_(c.accountId);
    expect((await row(c.id)).priority).toBe('P1');
    waitOnCustomer(7_000);
    waited += 7_000;
    expect((await post('sam', 'supervisor', `/v1/cases/${c.id}/status`, { status: 'open' })).statusCode).toBe(200);
    await expectDerived(c.id, 'P1', waited);

    await pause('sam', 'supervisor', 30_000);
    expect(
      (await post('sam', 'supervisor', `/v1/cases/${c.id}/resolve`, { outcome: 'inconclusive', note: 'n/a' }))
        .statusCode,
    ).toBe(200);
    expect(
      (await post('sam', 'supervisor', `/v1/cases/${c.id}/reopen`, { reason: 'Customer wrote back' })).statusCode,
    ).toBe(200);
    await expectDerived(c.id, 'P1', waited);
  });
});
