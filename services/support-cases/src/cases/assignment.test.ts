import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CasesHarness, startCases } from '../testing/harness';
import { SYSTEM } from './actor';
import { incidentKinds } from './case-rules';
import { recordIncident } from './incidents';

let h: CasesHarness;
beforeAll(async () => {
  h = await startCases({ env: { CASES_AUTO_ASSIGN: 'true', CASES_AGENT_MAX_OPEN_CASES: '2' } });
});
afterAll(() => h.close());

it('assigns new cases round robin among available agents, never beyond the per-agent cap', async () => {
  for (const [agent, available] of [
    ['ann', true],
    ['ben', true],
    ['cid', false],
  ] as const) {
    const res = await h.asAgent(agent, 'agent', {
      method: 'PUT',
      url: '/v1/agents/me/availability',
      payload: { available },
    });
    expect(res.json()).toEqual({ name: agent, role: 'agent', available, locale: null });
  }
  const assignees: (string | null)[] = [];
  for (let i = 0; i < 5; i++) {
    const accountId = randomUUID();
    const { case: c } = await h.db.db.transaction().execute((trx) =>
      recordIncident(trx, h.context, {
        kind: incidentKinds.lockout(accountId),
        accountId,
        actor: SYSTEM,
        detail: 'Locked',
        evidence: [],
      }),
    );
    assignees.push(c.assignee);
  }
  expect(assignees.slice(0, 4).sort()).toEqual(['ann', 'ann', 'ben', 'ben']);
  expect(assignees[0]).not.toBe(assignees[1]);
  expect(assignees[4]).toBeNull(); // both at the cap of 2; cid is not available
  const me = await h.asAgent('cid', 'agent', { method: 'GET', url: '/v1/agents/me' });
  expect(me.json()).toEqual({ name: 'cid', role: 'agent', available: false, locale: null });
});
