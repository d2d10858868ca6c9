// Satisfaction: a resolved customer-facing case asks its customer for a rating (announced on
// Kafka for the e-mail), the customer answers once before the request expires, and supervisors
// read the ratings per agent and per case type.
import { randomUUID } from 'node:crypto';
import { casesConfigSchema, parseConfig } from '@wallet-guard/config';
import { type CustomerCaseView, type SatisfactionReport, TOPICS } from '@wallet-guard/contracts';
import { waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../cases/actor';
import { incidentKinds } from '../cases/case-rules';
import { recordIncident } from '../cases/incidents';
import { type CasesHarness, startCases } from '../testing/harness';

const DAY = 86_400_000;
const EXPIRY_DAYS = 3;

let h: CasesHarness;
beforeAll(async () => {
  h = await startCases({ kafka: true, env: { CASES_SATISFACTION_EXPIRY_DAYS: String(EXPIRY_DAYS) } });
});
afterAll(() => h?.close());

const wallet = { 'x-api-key': 'dev-wallet-key' };

async function customerCase(category: 'complaint' | 'question', locale = 'zh-CN', accountId: string = randomUUID()) {
  const res = await h.server.inject({
    method: 'POST',
    url: '/v1/customer-cases',
    headers: wallet,
    payload: { accountId, category, message: 'Where is my money?', locale },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { caseId: res.json().caseId as string, caseNumber: res.json().caseNumber as string, accountId };
}

const resolve = (caseId: string, agent = 'ada', role: 'agent' | 'supervisor' = 'agent') =>
  h.asAgent(agent, role, {
    method: 'POST',
    url: `/v1/cases/${caseId}/resolve`,
    payload: { outcome: 'customer_error', note: 'Explained the transfer times' },
  });

const rate = (caseId: string, accountId: string, rating: number, comment?: string) =>
  h.server.inject({
    method: 'POST',
    url: `/v1/customer-cases/${caseId}/satisfaction`,
    headers: wallet,
    payload: { accountId, rating, ...(comment === undefined ? {} : { comment }) },
  });

async function listed(accountId: string, caseId: string): Promise<CustomerCaseView> {
  const res = await h.server.inject({
    method: 'GET',
    url: `/v1/customer-cases?accountId=${accountId}`,
    headers: wallet,
  });
  const item = res.json().items.find((c: CustomerCaseView) => c.caseId === caseId);
  expect(item).toBeDefined();
  return item;
}

const stored = (caseId: string) =>
  h.db.db.selectFrom('case_satisfaction').selectAll().where('case_id', '=', caseId).executeTakeFirst();

describe('asking for a rating', () => {
  it('asks when a customer-facing case is resolved, and says until when on Kafka for the e-mail', async () => {
    const events = await h.kafka?.collect(TOPICS.caseEvents);
    const c = await customerCase('complaint');
    const before = h.clock.now();
    expect((await resolve(c.caseId)).statusCode).toBe(200);
    const request = await stored(c.caseId);
    expect(request).toMatchObject({ case_type: 'customer_complaint', agent: 'ada', locale: 'zh-CN', rating: null });
    const expiresAt = request?.expires_at.getTime() ?? 0;
    expect(expiresAt - before.getTime()).toBeGreaterThanOrEqual(EXPIRY_DAYS * DAY);
    expect(expiresAt - h.clock.now().getTime()).toBeLessThanOrEqual(EXPIRY_DAYS * DAY);

    const resolved = await waitFor(
      () =>
        events
          ?.map((m) => m.json<{ type: string; payload: { caseId: string; satisfaction?: { expiresAt: string } } }>())
          .find((e) => e.type === 'case.resolved' && e.payload.caseId === c.caseId),
      { what: 'case.resolved on Kafka' },
    );
    expect(resolved.payload.satisfaction).toEqual({ expiresAt: new Date(expiresAt).toISOString() });
    expect((await listed(c.accountId, c.caseId)).satisfaction).toEqual({
      state: 'asked',
      expiresAt: new Date(expiresAt).toISOString(),
      rating: null,
    });
  });

  it('asks nothing of a case our detection opened', async () => {
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
    expect((await resolve(c.id)).statusCode).toBe(200);
    expect(await stored(c.id)).toBeUndefined();
    const outbox = await h.db.db
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', TOPICS.caseEvents)
      .execute();
    const event = outbox.find(
      (r) => r.payload.type === 'case.resolved' && (r.payload.payload as { caseId: string }).caseId === c.id,
    );
    expect(event?.payload.payload).not.toHaveProperty('satisfaction');
    const refused = await rate(c.id, accountId, 5);
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'CASE_SATISFACTION_NOT_REQUESTED']);
  });

  it('defaults to 14 days', () => {
    expect(parseConfig(casesConfigSchema, { NODE_ENV: 'test' }).satisfaction).toEqual({ expiryDays: 14 });
  });
});

describe('answering', () => {
  it('stores one answer per case even when the customer taps twice at once', async () => {
    const c = await customerCase('question');
    await resolve(c.caseId);
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map((rating) => rate(c.caseId, c.accountId, rating, `try ${rating}`)),
    );
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409]);
    const winner = answers.find((a) => a.statusCode === 201)?.json();
    for (const loser of answers.filter((a) => a.statusCode === 409)) {
      expect(loser.json().error.code).toBe('CASE_SATISFACTION_ALREADY_ANSWERED');
    }
    const row = await stored(c.caseId);
    expect(row?.rating).toBe(winner.rating);
    expect(row?.comment).toBe(`try ${winner.rating}`);
    const entries = await h.db.db
      .selectFrom('case_timeline')
      .selectAll()
      .where('case_id', '=', c.caseId)
      .where('kind', '=', 'satisfaction_rated')
      .execute();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: 'customer', visibility: 'internal', body: `try ${winner.rating}` });
    expect((await listed(c.accountId, c.caseId)).satisfaction).toMatchObject({
      state: 'answered',
      rating: winner.rating,
    });
    const again = await rate(c.caseId, c.accountId, 1);
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'CASE_SATISFACTION_ALREADY_ANSWERED']);
  });

  it('refuses an answer after the request expired (410), and says so in the listing', async () => {
    const c = await customerCase('complaint');
    await resolve(c.caseId);
    h.clock.advance(EXPIRY_DAYS * DAY + 1_000);
    const late = await rate(c.caseId, c.accountId, 4);
    expect([late.statusCode, late.json().error.code]).toEqual([410, 'CASE_SATISFACTION_EXPIRED']);
    expect((await stored(c.caseId))?.rating).toBeNull();
    expect((await listed(c.accountId, c.caseId)).satisfaction?.state).toBe('expired');
  });

  it('refuses a case that is not resolved, a reopened one, and another account’s (404)', async () => {
    const c = await customerCase('complaint');
    const open = await rate(c.caseId, c.accountId, 5);
    expect([open.statusCode, open.json().error.code]).toEqual([409, 'CASE_NOT_RESOLVED']);

    await resolve(c.caseId);
    const stranger = await rate(c.caseId, randomUUID(), 1);
    expect([stranger.statusCode, stranger.json().error.code]).toEqual([404, 'CASE_NOT_FOUND']);
    const unknown = await rate(randomUUID(), c.accountId, 1);
    expect(unknown.statusCode).toBe(404);

    const reopened = await h.asAgent('ada', 'agent', {
      method: 'POST',
      url: `/v1/cases/${c.caseId}/reopen`,
      payload: { reason: 'Customer wrote again' },
    });
    expect(reopened.statusCode).toBe(200);
    const whileOpen = await rate(c.caseId, c.accountId, 5);
    expect([whileOpen.statusCode, whileOpen.json().error.code]).toEqual([409, 'CASE_NOT_RESOLVED']);
    for (const rating of [0, 6, 2.5]) {
      const bad = await rate(c.caseId, c.accountId, rating);
      expect(bad.statusCode).toBe(400);
    }
    expect((await stored(c.caseId))?.rating).toBeNull();
  });

  it('asks again after a reopen only if never answered, counting the agent who resolved it last', async () => {
    const unanswered = await customerCase('complaint');
    await resolve(unanswered.caseId, 'ada');
    const reopen = (caseId: string) =>
      h.asAgent('sam', 'supervisor', {
        method: 'POST',
        url: `/v1/cases/${caseId}/reopen`,
        payload: { reason: 'More' },
      });
    expect((await reopen(unanswered.caseId)).statusCode).toBe(200);
    expect((await resolve(unanswered.caseId, 'sam', 'supervisor')).statusCode).toBe(200);
    expect((await stored(unanswered.caseId))?.agent).toBe('sam');

    const answered = await customerCase('complaint');
    await resolve(answered.caseId, 'ada');
    expect((await rate(answered.caseId, answered.accountId, 2)).statusCode).toBe(201);
    expect((await reopen(answered.caseId)).statusCode).toBe(200);
    expect((await resolve(answered.caseId, 'sam', 'supervisor')).statusCode).toBe(200);
    expect(await stored(answered.caseId)).toMatchObject({ agent: 'ada', rating: 2 });
    const outbox = await h.db.db
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', TOPICS.caseEvents)
      // In the order they were written (bigserial), not the order Postgres happens to return.
      .orderBy('id')
      .execute();
    const resolutions = outbox.filter(
      (r) => r.payload.type === 'case.resolved' && (r.payload.payload as { caseId: string }).caseId === answered.caseId,
    );
    expect(resolutions.map((r) => 'satisfaction' in (r.payload.payload as object))).toEqual([true, false]);
  });
});

describe('the satisfaction report', () => {
  it('counts ratings per agent and per case type with mean and distribution, for supervisors only', async () => {
    h.clock.advance(30 * DAY);
    const from = h.clock.now();
    const made: [agent: string, category: 'complaint' | 'question', rating: number][] = [
      ['carol', 'complaint', 5],
      ['carol', 'complaint', 4],
      ['carol', 'question', 2],
      ['dave', 'question', 5],
    ];
    for (const [agent, category, rating] of made) {
      const c = await customerCase(category, 'en');
      await resolve(c.caseId, agent);
      expect((await rate(c.caseId, c.accountId, rating)).statusCode).toBe(201);
    }
    const unrated = await customerCase('complaint', 'en');
    await resolve(unrated.caseId, 'dave');
    const to = new Date(h.clock.now().getTime() + 1_000);

    const res = await h.asAgent('sam', 'supervisor', {
      method: 'GET',
      url: `/v1/reports/satisfaction?from=${from.toISOString()}&to=${to.toISOString()}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json<SatisfactionReport>();
    expect(report.overall).toEqual({ count: 4, average: 4, distribution: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 2 } });
    expect(report.byAgent).toEqual([
      { agent: 'carol', count: 3, average: 3.67, distribution: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 1 } },
      { agent: 'dave', count: 1, average: 5, distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 1 } },
    ]);
    expect(report.byCaseType).toEqual([
      { caseType: 'customer_complaint', count: 2, average: 4.5, distribution: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 1 } },
      { caseType: 'customer_question', count: 2, average: 3.5, distribution: { 1: 0, 2: 1, 3: 0, 4: 0, 5: 1 } },
    ]);

    const before = await h.asAgent('sam', 'supervisor', {
      method: 'GET',
      url: `/v1/reports/satisfaction?from=${new Date(from.getTime() - DAY).toISOString()}&to=${from.toISOString()}`,
    });
    expect(before.json<SatisfactionReport>().overall.count).toBe(0);
    expect(before.json<SatisfactionReport>().overall.average).toBeNull();

    const agent = await h.asAgent('ada', 'agent', { method: 'GET', url: '/v1/reports/satisfaction' });
    expect([agent.statusCode, agent.json().error.code]).toEqual([403, 'CASE_FORBIDDEN']);
    const backwards = await h.asAgent('sam', 'supervisor', {
      method: 'GET',
      url: `/v1/reports/satisfaction?from=${to.toISOString()}&to=${from.toISOString()}`,
    });
    expect([backwards.statusCode, backwards.json().error.code]).toEqual([400, 'CASE_REPORT_RANGE_INVALID']);
  });
});
