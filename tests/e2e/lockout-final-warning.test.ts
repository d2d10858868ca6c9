// The psd2 lockout profile end to end: auth and the notifier on one Kafka broker, e-mail to a real
// SMTP server (smtp-server, in-process). Five wrong passwords in a row block the account; the lock
// before the permanent one mails the OWNER a final warning in their language (RTS on SCA, Reg. (EU)
// 2018/389 Art. 4(4)), whose link unlocks; the person trying only ever sees the same 401.
import { randomUUID } from 'node:crypto';
import { type SinkMessage, type SmtpSink, startSmtpSink } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_PASSWORD, call } from './http';
import { type System, startSystem } from './system';

const LOCK_SECONDS = 5;
let system: System;
let smtp: SmtpSink;
beforeAll(async () => {
  smtp = await startSmtpSink();
  // The second lock is the permanent one, so the first carries the warning; locks last LOCK_SECONDS,
  // so the test can reach the permanent one without a clock of its own. Long enough that the right
  // password tried just after the fifth failure still meets the lock on a loaded machine (with 1 s,
  // a slow dummy verify in between let it in).
  system = await startSystem(
    { AUTH_LOCKOUT_PROFILE: 'psd2', AUTH_LOCKOUT_HARD_AFTER: '2', AUTH_LOCKOUT_SECONDS: String(LOCK_SECONDS) },
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
const WRONG = 'wrong-password-attempt';

async function register(locale: string) {
  const email = `customer-${randomUUID().slice(0, 8)}@example.com`;
  const res = await call(system.auth.url, 'POST', '/v1/accounts', { email, password, locale });
  expect(res.status).toBe(201);
  return { email, accountId: res.body.accountId as string };
}

/** A sign-in from the attacker's machine (one per test, below the per-IP throttle); returns what they saw. */
const attempt = async (ip: string, email: string, pw: string) => {
  const res = await call(system.auth.url, 'POST', '/v1/sessions', { email, password: pw, context: { ip } });
  return `${res.status} ${JSON.stringify(res.body)}`;
};

const mailTo = (email: string, subject: RegExp) =>
  smtp.waitFor((m) => m.envelope.to.includes(email) && subject.test(m.subject), 30_000);
const mailsTo = (email: string, subject: RegExp) =>
  smtp.messages.filter((m) => m.envelope.to.includes(email) && subject.test(m.subject));

function linkToken(mail: SinkMessage, page: string): string {
  const match = new RegExp(`https://account\\.wallet\\.example/${page}#token=([^\\s"<>]+)`).exec(mail.text);
  if (!match?.[1]) throw new Error(`no ${page} link in: ${mail.text}`);
  return decodeURIComponent(match[1]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('psd2 lockout: the owner is warned by e-mail before the block becomes permanent', () => {
  for (const [locale, warning, unlock, ip] of [
    ['en', /last warning/i, /^Unlock your account/, '192.0.2.98'],
    ['zh-CN', /最后警告/, /^解锁您的账户/, '192.0.2.99'],
  ] as const) {
    it(`${locale}: 5 failures block; the warning reaches the owner once, before the permanent block, and its link unlocks`, async () => {
      const owner = await register(locale);
      const nobody = `nobody-${randomUUID().slice(0, 8)}@example.com`;
      const seen: string[] = [];
      for (let i = 0; i < 5; i++) seen.push(await attempt(ip, owner.email, WRONG), await attempt(ip, nobody, WRONG));
      seen.push(await attempt(ip, owner.email, password));

      const mail = await mailTo(owner.email, warning);
      expect(mail.envelope.to).toEqual([owner.email]);
      expect(mail.headers['content-language']).toBe(locale);
      expect(mail.text).toContain('5');
      expect(mail.raw).not.toMatch(/[?&]token=/);
      const token = linkToken(mail, 'unlock');

      // The block ends by itself (LOCK_SECONDS here); the attacker's next 5 make it permanent, with a plain unlock e-mail.
      await sleep(LOCK_SECONDS * 1000 + 100);
      for (let i = 0; i < 5; i++) seen.push(await attempt(ip, owner.email, WRONG), await attempt(ip, nobody, WRONG));
      seen.push(await attempt(ip, owner.email, password));
      await mailTo(owner.email, unlock);
      expect(mailsTo(owner.email, warning)).toHaveLength(1);
      // Nothing ever went to the address that has no account, and the attacker saw one answer throughout.
      expect(smtp.messages.some((m) => m.envelope.to.includes(nobody))).toBe(false);
      expect(new Set(seen).size).toBe(1);
      expect(seen[0]).toMatch(/^401 .*AUTH_INVALID_CREDENTIALS/);

      // The warning's link was issued before the permanent block; the owner uses the newest link.
      const latest = linkToken(mailsTo(owner.email, unlock).at(-1) as SinkMessage, 'unlock');
      expect(latest).not.toBe(token);
      expect((await call(system.auth.url, 'POST', '/v1/unlocks', { token: latest })).status).toBe(204);
      const signedIn = await call(system.auth.url, 'POST', '/v1/sessions', { email: owner.email, password });
      expect(signedIn.status).toBe(200);
    });
  }
});
