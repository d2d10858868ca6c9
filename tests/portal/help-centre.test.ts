// The help centre's signed-in pages through the portal's own routes (inject, with a browser's
// cookie jar) in front of the real auth and support-cases: requests belong to the signed-in
// account only, status in the customer's words, answers, and a resolved request refuses them.
import { csrfOf, type TestVisitor } from '@wallet-guard/account-portal/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, PASSWORD, type PortalSystem, register, startPortalSystem } from './portal-system';

let env: PortalSystem;
beforeAll(async () => {
  env = await startPortalSystem();
});
afterAll(async () => {
  await env?.stop();
});

async function signedIn(): Promise<{ visitor: TestVisitor; accountId: string }> {
  const { email, accountId } = await register(env);
  const visitor = env.portal.visitor({ 'accept-language': 'en' });
  const answer = await visitor.submit('/sign-in', '/sign-in', { email, password: PASSWORD });
  expect([answer.statusCode, answer.headers.location]).toEqual([303, '/account']);
  return { visitor, accountId };
}

async function fileRequest(visitor: TestVisitor, fields: Record<string, string>) {
  const answer = await visitor.submit('/cases', '/cases', fields);
  expect(answer.statusCode, answer.body).toBe(303);
  const location = String(answer.headers.location);
  expect(location).toMatch(/^\/cases\/CASE-\d{6,}$/);
  return location;
}

const agent = async (method: string, path: string, body?: unknown) => {
  const token = await env.system.agentToken('ada');
  return api(env.system.cases.url, method, path, body, {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  });
};

describe('the help centre', () => {
  it('files a dispute with typed transaction ids, shows it as received, and takes an answer that reopens a waiting case', async () => {
    const { visitor, accountId } = await signedIn();
    const missing = await visitor.submit('/cases', '/cases', { category: 'transaction_dispute', message: 'Not me' });
    expect([missing.statusCode, missing.body.includes('please type its id')]).toEqual([400, true]);
    expect(missing.body).toContain('Not me');

    const href = await fileRequest(visitor, {
      category: 'transaction_dispute',
      message: 'I did not buy gift cards',
      transactionIds: 'tx-help-1, tx-help-2',
    });
    const list = await visitor.get('/cases');
    expect(list.body).toContain(`href="${href}"`);
    expect(list.body).toContain('Transaction dispute');
    expect(list.body).toContain('Received');
    expect(list.body).not.toMatch(/P[1-4]/);

    const [c] = (await api(env.system.cases.url, 'GET', `/v1/customer-cases?accountId=${accountId}`)).body.items;
    expect(
      (await agent('POST', `/v1/cases/${c.caseId}/notes`, { body: 'Which shop?', visibility: 'public' })).status,
    ).toBe(200);
    expect((await agent('POST', `/v1/cases/${c.caseId}/status`, { status: 'pending_customer' })).status).toBe(200);
    const waiting = await visitor.get(href);
    expect(waiting.body).toContain('Waiting for you');
    expect(waiting.body).toContain('Which shop?');

    const empty = await visitor.submit(href, `${href}/messages`, { message: '  ' });
    expect(empty.statusCode).toBe(400);
    const sent = await visitor.submit(href, `${href}/messages`, { message: 'A shop called <Gifts>' });
    expect([sent.statusCode, sent.headers.location]).toEqual([303, href]);
    const after = await visitor.get(href);
    expect(after.body).toContain('An agent is on it');
    expect(after.body).toContain('A shop called &lt;Gifts&gt;');
  });

  it("never shows another account's request, by its number or by answering on it", async () => {
    const owner = await signedIn();
    const href = await fileRequest(owner.visitor, { category: 'question', message: 'Mine alone' });
    const other = await signedIn();
    const seen = await other.visitor.get(href);
    expect(seen.statusCode).toBe(404);
    expect(seen.body).not.toContain('Mine alone');
    const page = await other.visitor.get('/cases');
    const answered = await other.visitor.post(`${href}/messages`, { _csrf: csrfOf(page.body), message: 'Intruder' });
    expect(answered.statusCode).toBe(404);
    const [c] = (await api(env.system.cases.url, 'GET', `/v1/customer-cases?accountId=${owner.accountId}`)).body.items;
    expect(c.publicNotes.map((n: { body: string }) => n.body)).toEqual(['Mine alone']);
  });

  it('a resolved request shows as resolved and takes no answer', async () => {
    const { visitor, accountId } = await signedIn();
    const href = await fileRequest(visitor, { category: 'complaint', message: 'Slow transfer' });
    const before = await visitor.get(href);
    const [c] = (await api(env.system.cases.url, 'GET', `/v1/customer-cases?accountId=${accountId}`)).body.items;
    expect(
      (await agent('POST', `/v1/cases/${c.caseId}/resolve`, { outcome: 'customer_error', note: 'Sent' })).status,
    ).toBe(200);
    // The form of the page loaded before: support-cases refuses, the page says so.
    const late = await visitor.post(`${href}/messages`, { _csrf: csrfOf(before.body), message: 'Thanks' });
    expect([late.statusCode, late.body.includes('resolved in the meantime')]).toEqual([409, true]);
    const now = await visitor.get(href);
    expect(now.body).toContain('Resolved');
    expect(now.body).not.toContain('name="message"');
  });

  it('sends a visitor without a session to sign in', async () => {
    const visitor = env.portal.visitor();
    for (const path of ['/cases', '/cases/CASE-000001']) {
      const answer = await visitor.get(path);
      expect([answer.statusCode, answer.headers.location]).toEqual([303, '/sign-in']);
    }
  });
});
