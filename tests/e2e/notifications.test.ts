// What the customer actually receives: auth, support-cases and the notifier on one Kafka broker,
// e-mail to a real SMTP server (smtp-server, in-process). Lockout -> the unlock e-mail in the
// account's language -> its link's token unlocks through auth. A complaint -> "case opened" with
// its number -> an agent's public reply by e-mail.
import { randomUUID } from 'node:crypto';
import type { DeliveryView } from '@wallet-guard/contracts';
import { type SinkMessage, type SmtpSink, startSmtpSink, waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_PASSWORD, call } from './http';
import { type System, startSystem } from './system';

let system: System;
let smtp: SmtpSink;
beforeAll(async () => {
  smtp = await startSmtpSink();
  system = await startSystem(
    {},
    {
      notifier: {
        NOTIFIER_SMTP_URL: smtp.url,
        NOTIFIER_FROM: 'Wallet Guard <security@wallet.example>',
        NOTIFIER_LINK_BASE_URL: 'https://account.wallet.example',
      },
    },
  );
});
afterAll(async () => {
  await system.stop();
  await smtp.close();
});

const password = CUSTOMER_PASSWORD;

async function register(locale: string) {
  const email = `customer-${randomUUID().slice(0, 8)}@example.com`;
  const res = await call(system.auth.url, 'POST', '/v1/accounts', { email, password, locale });
  expect(res.status).toBe(201);
  return { email, accountId: res.body.accountId as string };
}

const signIn = (email: string, pw: string) =>
  call(system.auth.url, 'POST', '/v1/sessions', { email, password: pw, context: { ip: '203.0.113.50' } });

const mailTo = (email: string, subject?: RegExp) =>
  smtp.waitFor((m) => m.envelope.to.includes(email) && (!subject || subject.test(m.subject)), 30_000);

/** The token of the link `https://account.wallet.example/<page>#token=...` in the mail's text. */
function linkToken(mail: SinkMessage, page: string): string {
  const match = new RegExp(`https://account\\.wallet\\.example/${page}#token=([^\\s"<>]+)`).exec(mail.text);
  if (!match?.[1]) throw new Error(`no ${page} link in: ${mail.text}`);
  return decodeURIComponent(match[1]);
}

async function deliveriesOf(accountId: string): Promise<DeliveryView[]> {
  const res = await call(system.notifier?.url as string, 'GET', `/v1/deliveries?accountId=${accountId}`, undefined, {
    'x-api-key': 'dev-internal-key',
  });
  expect(res.status).toBe(200);
  return res.body.items;
}

describe('notifications that reach the customer', () => {
  for (const [locale, subject] of [
    ['zh-CN', /[\u4e00-\u9fff]/],
    ['en', /unlock/i],
  ] as const) {
    it(`lockout: the unlock e-mail arrives in ${locale} and its link's token unlocks the account`, async () => {
      const { email, accountId } = await register(locale);
      for (let i = 0; i < 5; i++) expect((await signIn(email, 'wrong-password-attempt')).status).toBe(401);
      expect((await signIn(email, password)).status).toBe(401);

      const mail = await mailTo(email, subject);
      expect(mail.headers['content-language']).toBe(locale);
      expect(mail.raw).not.toMatch(/[?&]token=/);
      const token = linkToken(mail, 'unlock');
      const unlocked = await call(system.auth.url, 'POST', '/v1/unlocks', { token });
      expect(unlocked.status).toBe(204);
      expect((await signIn(email, password)).status).toBe(200);
      // Single use: the same link does nothing the second time.
      expect((await call(system.auth.url, 'POST', '/v1/unlocks', { token })).status).toBe(401);

      const sent = await waitFor(
        async () => (await deliveriesOf(accountId)).find((d) => d.kind === 'unlock_link' && d.status === 'sent'),
        { what: 'the unlock delivery recorded as sent' },
      );
      expect(sent).toMatchObject({ channel: 'email', locale, attempts: 1 });
      expect(sent.recipient).not.toBe(email);
    });
  }

  it('a complaint filed in zh-CN: "case opened" with its number, then the agent\'s public reply, by e-mail', async () => {
    const { email, accountId } = await register('zh-CN');
    const opened = await call(system.cases.url, 'POST', '/v1/customer-cases', {
      accountId,
      category: 'complaint',
      message: '我的转账一直没有到账。',
      locale: 'zh-CN',
    });
    expect(opened.status).toBe(201);
    const caseNumber = opened.body.caseNumber as string;
    const openedMail = await mailTo(email, new RegExp(caseNumber));
    expect(openedMail.text).toContain(caseNumber);
    expect(openedMail.subject).toMatch(/[\u4e00-\u9fff]/);

    const token = await system.agentToken('ada');
    const agent = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const caseId = opened.body.caseId as string;
    expect((await call(system.cases.url, 'POST', `/v1/cases/${caseId}/claim`, {}, agent)).status).toBe(200);
    const reply = '您好，我们已经找到这笔转账，它将在今天到账。';
    const noted = await call(
      system.cases.url,
      'POST',
      `/v1/cases/${caseId}/notes`,
      { body: reply, visibility: 'public' },
      agent,
    );
    expect(noted.status).toBe(200);
    const internal = await call(
      system.cases.url,
      'POST',
      `/v1/cases/${caseId}/notes`,
      { body: 'Internal: checked the ledger, nothing for the customer', visibility: 'internal' },
      agent,
    );
    expect(internal.status).toBe(200);
    const replyMail = await smtp.waitFor((m) => m.envelope.to.includes(email) && m.text.includes(reply), 30_000);
    expect(replyMail.subject).toContain(caseNumber);
    expect(replyMail.html).toContain(reply);
    // The internal note never leaves support-cases.
    await waitFor(async () => (await deliveriesOf(accountId)).filter((d) => d.status === 'sent').length >= 2, {
      what: 'both case messages recorded',
    });
    expect(smtp.messages.some((m) => m.text.includes('Internal: checked the ledger'))).toBe(false);
    const kinds = (await deliveriesOf(accountId)).map((d) => `${d.kind}:${d.caseId === caseId}`);
    expect(kinds).toEqual(expect.arrayContaining(['case_opened:true', 'case_public_note:true']));
  });
});
