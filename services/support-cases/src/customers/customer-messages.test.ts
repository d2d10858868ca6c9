import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CasesHarness, startCases } from '../testing/harness';

let h: CasesHarness;
beforeAll(async () => {
  h = await startCases();
});
afterAll(() => h.close());

const wallet = { 'x-api-key': 'dev-wallet-key' };

async function openComplaint(accountId: string) {
  const opened = await h.server.inject({
    method: 'POST',
    url: '/v1/customer-cases',
    headers: wallet,
    payload: { accountId, category: 'complaint', message: 'My transfer is late' },
  });
  expect(opened.statusCode).toBe(201);
  return opened.json().caseId as string;
}

const write = (caseId: string, accountId: string, body: string) =>
  h.server.inject({
    method: 'POST',
    url: `/v1/customer-cases/${caseId}/messages`,
    headers: wallet,
    payload: { accountId, body },
  });

const agentPost = (url: string, payload: object) => h.asAgent('alice', 'agent', { method: 'POST', url, payload });

describe('POST /v1/customer-cases/:caseId/messages', () => {
  it('puts the message on the case for the customer and the agent, and a case waiting for the customer goes back to open', async () => {
    const accountId = randomUUID();
    const caseId = await openComplaint(accountId);
    expect(
      (await agentPost(`/v1/cases/${caseId}/notes`, { body: 'Which day?', visibility: 'public' })).statusCode,
    ).toBe(200);
    expect((await agentPost(`/v1/cases/${caseId}/status`, { status: 'pending_customer' })).statusCode).toBe(200);

    const answered = await write(caseId, accountId, 'On 23 November');
    expect(answered.statusCode).toBe(201);
    expect(answered.json()).toMatchObject({ caseId, status: 'open' });

    const c = await h.db.db
      .selectFrom('cases')
      .select(['status', 'sla_paused_at'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(c).toEqual({ status: 'open', sla_paused_at: null });

    const listed = await h.server.inject({
      method: 'GET',
      url: `/v1/customer-cases?accountId=${accountId}`,
      headers: wallet,
    });
    expect(listed.json().items[0].publicNotes.map((n: { from: string; body: string }) => [n.from, n.body])).toEqual([
      ['customer', 'My transfer is late'],
      ['support', 'Which day?'],
      ['customer', 'On 23 November'],
    ]);

    const detail = await h.asAgent('alice', 'agent', { method: 'GET', url: `/v1/cases/${caseId}` });
    const timeline = detail.json().timeline as { actor: string; kind: string; body?: string | null }[];
    expect(timeline).toContainEqual(
      expect.objectContaining({ actor: 'customer', kind: 'note', body: 'On 23 November' }),
    );
  });

  it("answers 404 CASE_NOT_FOUND for another account's case and writes nothing", async () => {
    const caseId = await openComplaint(randomUUID());
    const foreign = await write(caseId, randomUUID(), 'Let me in');
    expect([foreign.statusCode, foreign.json().error.code]).toEqual([404, 'CASE_NOT_FOUND']);
    const bodies = await h.db.db.selectFrom('case_timeline').select('body').where('case_id', '=', caseId).execute();
    expect(bodies.map((b) => b.body)).not.toContain('Let me in');
  });

  it('refuses a resolved case with 409 CASE_CLOSED', async () => {
    const accountId = randomUUID();
    const caseId = await openComplaint(accountId);
    const resolved = await agentPost(`/v1/cases/${caseId}/resolve`, { outcome: 'customer_error', note: 'Paid back' });
    expect(resolved.statusCode).toBe(200);
    const late = await write(caseId, accountId, 'Thanks');
    expect([late.statusCode, late.json().error.code]).toEqual([409, 'CASE_CLOSED']);
  });

  it('keeps an open case open and requires the wallet scope', async () => {
    const accountId = randomUUID();
    const caseId = await openComplaint(accountId);
    expect((await write(caseId, accountId, 'Any news?')).json().status).toBe('new');
    const internal = await h.server.inject({
      method: 'POST',
      url: `/v1/customer-cases/${caseId}/messages`,
      headers: { 'x-api-key': 'dev-internal-key' },
      payload: { accountId, body: 'x' },
    });
    expect(internal.statusCode).toBe(403);
  });
});
