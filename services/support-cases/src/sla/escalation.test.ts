import { randomUUID } from 'node:crypto';
import { TOPICS } from '@wallet-guard/contracts';
import { waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../cases/actor';
import { type IncidentKind, incidentKinds } from '../cases/case-rules';
import { recordIncident } from '../cases/incidents';
import { type CasesHarness, startCases } from '../testing/harness';
import { flagBreaches } from './breaches';

let h: CasesHarness;
beforeAll(async () => {
  h = await startCases({ kafka: true, env: { CASES_ONCALL_EMAIL: 'oncall@example.test' } });
});
afterAll(() => h.close());

const MINUTE = 60_000;
const escalation = () => ({ escalation: h.config.escalation });

async function openCase(kind: (accountId: string) => IncidentKind) {
  const accountId = randomUUID();
  const { case: c } = await h.db.db
    .transaction()
    .execute((trx) =>
      recordIncident(trx, h.context, { kind: kind(accountId), accountId, actor: SYSTEM, detail: 'Test', evidence: [] }),
    );
  return c;
}

const row = (caseId: string) =>
  h.db.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
const timeline = (caseId: string) =>
  h.db.db
    .selectFrom('case_timeline')
    .select(['actor', 'kind', 'old_value', 'new_value'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
const outboxOf = async (caseId: string, type: string) =>
  (await h.db.db.selectFrom('outbox').select('payload').where('topic', '=', TOPICS.caseEvents).execute()).filter(
    (r) => r.payload.type === type && (r.payload.payload as { caseId: string }).caseId === caseId,
  );

interface Received {
  type: string;
  payload: { caseId: string; status: string; from?: string; onCall?: { email: string }; sla?: string };
}

describe('automatic escalation of urgent cases whose first response is overdue', () => {
  it("sends a P2 to the supervisors' queue once, with a timeline entry, and alerts on-call, though two checks run at once", async () => {
    const events = await h.kafka?.collect(TOPICS.caseEvents);
    const c = await openCase(incidentKinds.sessionHijack); // P2: first response within 1 h
    h.clock.advance(61 * MINUTE);

    // Two instances of the SLA check at the same moment: one breach, one escalation between them.
    const counts = await Promise.all([
      flagBreaches(h.db.db, h.infra.bus, h.clock.now(), escalation()),
      flagBreaches(h.db.db, h.infra.bus, h.clock.now(), escalation()),
    ]);
    expect(counts[0] + counts[1]).toBe(1);
    expect(await flagBreaches(h.db.db, h.infra.bus, h.clock.now(), escalation())).toBe(0);

    const r = await row(c.id);
    expect([r.status, r.queue, r.first_response_breached, r.resolution_breached]).toEqual([
      'escalated',
      'supervisors',
      true,
      false,
    ]);
    const entries = await timeline(c.id);
    expect(entries.filter((e) => e.kind === 'escalated')).toEqual([
      { actor: 'system', kind: 'escalated', old_value: 'new', new_value: 'escalated' },
    ]);
    expect(entries.filter((e) => e.kind === 'sla_breached')).toHaveLength(1);
    expect(await outboxOf(c.id, 'sla.escalated')).toHaveLength(1);

    const alert = await waitFor(
      () => events?.map((m) => m.json<Received>()).find((e) => e.type === 'sla.escalated' && e.payload.caseId === c.id),
      { what: 'sla.escalated on Kafka' },
    );
    expect(alert.payload).toMatchObject({
      status: 'escalated',
      from: 'new',
      sla: 'first_response',
      onCall: { email: 'oncall@example.test' },
    });
    const statusChange = await waitFor(
      () => events?.map((m) => m.json<Received>()).find((e) => e.type === 'case.updated' && e.payload.caseId === c.id),
      { what: 'case.updated on Kafka' },
    );
    expect(statusChange.payload.status).toBe('escalated');

    // Supervisors see it in their queue.
    const queue = await h.asAgent('sam', 'supervisor', {
      method: 'GET',
      url: `/v1/cases?queue=supervisors&accountId=${c.accountId}`,
    });
    expect(queue.json().items.map((i: { id: string }) => i.id)).toEqual([c.id]);
  });

  it('leaves a P3 in the agents queue (its breach is flagged only)', async () => {
    const c = await openCase(incidentKinds.lockout); // P3: 4 h
    h.clock.advance(4 * 60 * MINUTE + MINUTE);
    await flagBreaches(h.db.db, h.infra.bus, h.clock.now(), escalation());
    const r = await row(c.id);
    expect([r.status, r.queue, r.first_response_breached]).toEqual(['new', 'agents', true]);
    expect(await outboxOf(c.id, 'sla.escalated')).toHaveLength(0);
  });

  it("counts an agent's escalation as the first response: no breach, no second move, no alert", async () => {
    const c = await openCase(incidentKinds.theft); // P1: 15 min
    const escalated = await h.asAgent('alice', 'agent', {
      method: 'POST',
      url: `/v1/cases/${c.id}/escalate`,
      payload: { reason: 'Needs a supervisor' },
    });
    expect(escalated.statusCode).toBe(200);
    h.clock.advance(16 * MINUTE);
    await flagBreaches(h.db.db, h.infra.bus, h.clock.now(), escalation());
    expect((await row(c.id)).first_response_breached).toBe(false);
    expect((await timeline(c.id)).filter((e) => e.kind === 'escalated')).toHaveLength(1);
    expect(await outboxOf(c.id, 'sla.escalated')).toHaveLength(0);
  });

  it('does not escalate a P1 answered in time that misses its resolution', async () => {
    const c = await openCase(incidentKinds.frozen); // P1: 15 min, then 4 h
    const answered = await h.asAgent('alice', 'agent', {
      method: 'POST',
      url: `/v1/cases/${c.id}/notes`,
      payload: { body: 'Called the customer', visibility: 'internal' },
    });
    expect(answered.statusCode).toBe(200);
    h.clock.advance(4 * 60 * MINUTE + MINUTE);
    await flagBreaches(h.db.db, h.infra.bus, h.clock.now(), escalation());
    const r = await row(c.id);
    expect([r.status, r.queue, r.resolution_breached]).toEqual(['open', 'agents', true]);
    expect(await outboxOf(c.id, 'sla.escalated')).toHaveLength(0);
  });
});
