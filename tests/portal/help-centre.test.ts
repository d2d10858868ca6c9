// The help centre's signed-in pages through the portal's own routes (inject, with a browser's
// cookie jar) in front of the real auth, monitor and support-cases: requests belong to the
// signed-in account only, status in the customer's words, answers, and a resolved request refuses
// them; a dispute's transactions are ticked in the list of the account's own recent ones.
import { randomUUID } from 'node:crypto';
import { csrfOf, startTestPortal, type TestVisitor, UNREACHABLE_MONITOR } from '@wallet-guard/account-portal/testing';
import type { WalletTransaction } from '@wallet-guard/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, PASSWORD, type PortalSystem, register, startPortalSystem, submitTransactions } from './portal-system';

let env: PortalSystem;
beforeAll(async () => {
  env = await startPortalSystem();
});
afterAll(async () => {
  await env?.stop();
});

async function signedIn(portal = env.portal, locale = 'en'): Promise<{ visitor: TestVisitor; accountId: string }> {
  const { email, accountId } = await register(env, locale);
  const visitor = portal.visitor({ 'accept-language': locale });
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
    expect([missing.statusCode, missing.body.includes('please tick it in the list, or type its id')]).toEqual([
      400,
      true,
    ]);
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

  it("lists the account's own recent transactions to tick; a ticked one reaches the agent's case", async () => {
    const { visitor, accountId } = await signedIn(env.portal, 'zh-CN');
    const now = Date.now();
    const paid: WalletTransaction = {
      transactionId: `tx-${randomUUID()}`,
      accountId,
      type: 'payment',
      amountMinor: '123456',
      currency: 'EUR',
      counterparty: { id: 'gift-card-shop', kind: 'merchant', country: 'DE' },
      occurredAt: new Date(now - 60_000).toISOString(),
    };
    const received: WalletTransaction = {
      transactionId: `tx-${randomUUID()}`,
      accountId,
      type: 'transfer_in',
      amountMinor: '5000',
      currency: 'JPY',
      counterparty: { id: 'friend-wallet-7', kind: 'wallet' },
      occurredAt: new Date(now - 120_000).toISOString(),
    };
    const someoneElses: WalletTransaction = {
      ...paid,
      transactionId: `tx-${randomUUID()}`,
      accountId: (await register(env)).accountId,
    };
    await submitTransactions(env, [paid, received, someoneElses]);

    const form = await visitor.get('/cases');
    expect(form.statusCode).toBe(200);
    // Newest first, in the customer's language and money format (minor units, ISO 4217 exponent).
    const paidAt = form.body.indexOf(`value="${paid.transactionId}"`);
    const receivedAt = form.body.indexOf(`value="${received.transactionId}"`);
    expect(paidAt).toBeGreaterThan(-1);
    expect(receivedAt).toBeGreaterThan(paidAt);
    expect(form.body).toContain('付款至 gift-card-shop（商户）');
    expect(form.body).toContain(
      new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'EUR', signDisplay: 'exceptZero' }).format(
        -1234.56,
      ),
    );
    expect(form.body).toContain('转入，来自 friend-wallet-7（钱包）');
    expect(form.body).toContain(
      new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'JPY', signDisplay: 'exceptZero' }).format(5000),
    );
    expect(form.body).not.toContain(someoneElses.transactionId);
    expect(form.body).toContain('列表中没有？请输入交易编号');

    // A forged form ticking another account's transaction: refused in words, nothing opened.
    const forged = await visitor.post('/cases', {
      _csrf: csrfOf(form.body),
      category: 'transaction_dispute',
      message: '不是我',
      chosenTransactionIds: someoneElses.transactionId,
    });
    expect([forged.statusCode, forged.body.includes('您勾选的交易中至少有一笔不在您最近的交易中')]).toEqual([
      400,
      true,
    ]);
    const none = await api(env.system.cases.url, 'GET', `/v1/customer-cases?accountId=${accountId}`);
    expect(none.body.items).toEqual([]);

    const filed = await visitor.post('/cases', {
      _csrf: csrfOf(form.body),
      category: 'transaction_dispute',
      message: '我没有买过礼品卡',
      chosenTransactionIds: paid.transactionId,
    });
    expect([filed.statusCode, String(filed.headers.location)]).toEqual([303, expect.stringMatching(/^\/cases\/CASE-/)]);
    const [c] = (await api(env.system.cases.url, 'GET', `/v1/customer-cases?accountId=${accountId}`)).body.items;
    const detail = await agent('GET', `/v1/cases/${c.caseId}`);
    expect(detail.body.evidence).toContainEqual({ kind: 'transaction', ref: paid.transactionId });
    expect(detail.body.evidence).not.toContainEqual({ kind: 'transaction', ref: received.transactionId });
  });

  it('says so when the monitor cannot be reached, and still takes typed ids', async () => {
    const portal = await startTestPortal({
      authUrl: env.system.auth.url,
      casesUrl: env.system.cases.url,
      monitorUrl: UNREACHABLE_MONITOR,
      env: { PORTAL_RATE_LIMIT_PER_MINUTE: '10000' },
    });
    try {
      const { visitor, accountId } = await signedIn(portal);
      const form = await visitor.get('/cases');
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('We cannot show your recent transactions right now');
      expect(form.body).not.toContain('name="chosenTransactionIds"');

      // A ticked id cannot be checked: nothing is sent, and the id comes back typed.
      const ticked = await visitor.post('/cases', {
        _csrf: csrfOf(form.body),
        category: 'transaction_dispute',
        message: 'Not me',
        chosenTransactionIds: 'tx-unchecked',
      });
      expect([ticked.statusCode, ticked.body.includes('We could not check the transactions you ticked')]).toEqual([
        503,
        true,
      ]);
      expect(ticked.body).toMatch(/id="transactionIds"[^>]*value="tx-unchecked"/);
      expect((await api(env.system.cases.url, 'GET', `/v1/customer-cases?accountId=${accountId}`)).body.items).toEqual(
        [],
      );

      const typed = await visitor.post('/cases', {
        _csrf: csrfOf(form.body),
        category: 'transaction_dispute',
        message: 'Not me',
        transactionIds: 'tx-typed-1',
      });
      expect(typed.statusCode, typed.body).toBe(303);
      const [c] = (await api(env.system.cases.url, 'GET', `/v1/customer-cases?accountId=${accountId}`)).body.items;
      expect((await agent('GET', `/v1/cases/${c.caseId}`)).body.evidence).toContainEqual({
        kind: 'transaction',
        ref: 'tx-typed-1',
      });
    } finally {
      await portal.close();
    }
  });

  it('sends a visitor without a session to sign in', async () => {
    const visitor = env.portal.visitor();
    for (const path of ['/cases', '/cases/CASE-000001']) {
      const answer = await visitor.get(path);
      expect([answer.statusCode, answer.headers.location]).toEqual([303, '/sign-in']);
    }
  });
});
