// Issue 16 end to end, through the portal's pages: auth (with its risk policy), the notifier on
// Kafka and a real SMTP server. A sign-in auth finds risky, on an account without any second
// factor, gets a 6-digit code by e-mail in the account's language and finishes with it on the
// portal's second step; a password on the leaked-password list lands on the page that explains it
// and lets the session do nothing else until the password is changed.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { csrfOf, type TestVisitor } from '@wallet-guard/account-portal/testing';
import type { SinkMessage } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { PASSWORD, type PortalSystem, register, startPortalSystem } from './portal-system';

/**
 * The shipped policy with one change: a device never seen for the account is enough to step up, so
 * a fresh browser (a new device cookie) is asked for more. Everything else as shipped.
 */
function stepUpOnNewDevicePolicy(): string {
  const shipped = fileURLToPath(new URL('../../services/auth/risk-policy.yaml', import.meta.url));
  const policy = parse(readFileSync(shipped, 'utf8'));
  policy.version = 'test-new-device-steps-up';
  policy.signals.new_device.weight = policy.decision.stepUpAt;
  const file = join(mkdtempSync(join(tmpdir(), 'risk-policy-')), 'risk-policy.yaml');
  writeFileSync(file, stringify(policy));
  return file;
}

let env: PortalSystem;
beforeAll(async () => {
  env = await startPortalSystem({ AUTH_RISK_POLICY_FILE: stepUpOnNewDevicePolicy() });
});
afterAll(() => env?.stop());

const codeMail = (email: string) =>
  env.smtp.waitFor((m) => m.envelope.to.includes(email) && /\b\d{6}\b/.test(m.text), 30_000);

/** The 6 digits on the e-mail's code line ("Code: 123456" / "验证码：123456"). */
function codeIn(mail: SinkMessage): string {
  const match = /(?:Code|验证码)[:：]\s*(\d{6})/.exec(mail.text);
  if (!match?.[1]) throw new Error(`no code in: ${mail.text}`);
  return match[1];
}

/** The password step from a fresh browser; answers where the portal sent it. */
async function signInFromNewBrowser(visitor: TestVisitor, email: string, password: string) {
  const res = await visitor.submit('/sign-in', '/sign-in', { email, password });
  expect(res.statusCode).toBe(303);
  return res.headers.location;
}

describe('a risky sign-in of an account without a second factor', () => {
  for (const [locale, words] of [
    ['zh-CN', { page: '我们已向您的电子邮箱发送了一个 6 位验证码', subject: '您的登录验证码', wrong: '该验证码无效' }],
    [
      'en',
      {
        page: 'we sent a 6-digit code to your e-mail address',
        subject: 'Your sign-in code',
        wrong: 'That code did not work',
      },
    ],
  ] as const) {
    it(`gets a code through real SMTP in ${locale} and finishes the second step with it`, async () => {
      const { email } = await register(env, locale);
      const visitor = env.portal.visitor({ 'accept-language': locale });
      expect(await signInFromNewBrowser(visitor, email, PASSWORD)).toBe('/sign-in/second-step');
      const step = await visitor.get('/sign-in/second-step');
      expect(step.statusCode).toBe(200);
      expect(step.body).toContain(words.page);
      expect(step.body).toContain('name="emailCode"');
      expect(step.body).not.toContain('name="recoveryCode"');

      const mail = await codeMail(email);
      expect(mail.subject).toBe(words.subject);
      expect(mail.headers['content-language']).toBe(locale);
      const code = codeIn(mail);
      // In the body only: in no link, not in the subject; the one link is "this wasn't me" (freeze).
      expect(mail.subject).not.toContain(code);
      const links = [...mail.text.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) {
        expect(link).not.toContain(code);
        expect(link.startsWith(`${env.url}/freeze#token=`)).toBe(true);
      }

      const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
      const refused = await visitor.post('/sign-in/second-step', { _csrf: csrfOf(step.body), emailCode: wrong });
      expect(refused.statusCode).toBe(401);
      expect(refused.body).toContain(words.wrong);

      const done = await visitor.post('/sign-in/second-step', { _csrf: csrfOf(refused.body), emailCode: code });
      expect([done.statusCode, done.headers.location]).toEqual([303, '/account']);
      expect(env.portal.logs.text).not.toContain(code);
      const account = await visitor.get('/account');
      expect(account.statusCode).toBe(200);
      expect(account.body).toContain(email);
      // The code worked once: the session is an aal1 one, amr [pwd, email] (see auth's README).
      const sessions = await env.system.auth.db.db
        .selectFrom('auth_sessions as s')
        .innerJoin('auth_accounts as a', 'a.id', 's.account_id')
        .select(['s.amr', 's.aal', 's.restriction'])
        .where('a.email_normalized', '=', email)
        .execute();
      expect(sessions).toEqual([{ amr: ['pwd', 'email'], aal: 1, restriction: null }]);
    });
  }
});

describe('a password on the leaked-password list', () => {
  // Set before the list had it (registration refuses it now): hashed as auth does, argon2id with
  // no pepper (the tests configure none); auth's own `argon2` is the one that verifies it.
  const LEAKED = '1qaz2wsx3edc';
  const argon2 = createRequire(fileURLToPath(import.meta.resolve('@wallet-guard/auth/server')))('argon2') as {
    hash(password: string, options: { type: number }): Promise<string>;
    argon2id: number;
  };

  for (const [locale, why] of [
    ['en', 'Your password appears in lists of leaked passwords'],
    ['zh-CN', '您的密码出现在已泄露密码列表中'],
  ] as const) {
    it(`lands on the page that says why in ${locale}, allows nothing else, and a new password lifts it`, async () => {
      const { email, accountId } = await register(env, locale);
      await env.system.auth.db.db
        .updateTable('auth_accounts')
        .set({ password_hash: await argon2.hash(LEAKED, { type: argon2.argon2id }), pepper_id: null })
        .where('id', '=', accountId)
        .execute();
      const visitor = env.portal.visitor({ 'accept-language': locale });
      expect(await signInFromNewBrowser(visitor, email, LEAKED)).toBe('/sign-in/second-step');
      const step = await visitor.get('/sign-in/second-step');
      const code = codeIn(await codeMail(email));
      const done = await visitor.post('/sign-in/second-step', { _csrf: csrfOf(step.body), emailCode: code });
      expect([done.statusCode, done.headers.location]).toEqual([303, '/sign-in/change-password']);

      const landing = await visitor.get('/sign-in/change-password');
      expect(landing.statusCode).toBe(200);
      expect(landing.body).toContain(why);
      expect(landing.body).toContain('name="newPassword"');
      // Every other signed-in page sends back here.
      for (const page of ['/account', '/security']) {
        const res = await visitor.get(page);
        expect([page, res.statusCode, res.headers.location]).toEqual([page, 303, '/sign-in/change-password']);
      }

      // The new password must pass the policy: the leaked one again is refused with the reason.
      const again = await visitor.post('/sign-in/change-password', {
        _csrf: csrfOf(landing.body),
        currentPassword: LEAKED,
        newPassword: LEAKED,
      });
      expect(again.statusCode).toBe(422);
      const changed = await visitor.post('/sign-in/change-password', {
        _csrf: csrfOf(again.body),
        currentPassword: LEAKED,
        newPassword: 'Amber-tundra-violin-4417!',
      });
      expect([changed.statusCode, changed.headers.location]).toEqual([303, '/security']);
      const security = await visitor.get('/security');
      expect(security.statusCode).toBe(200);
      expect(security.body).toContain('name="currentPassword"');
      const sessions = await env.system.auth.db.db
        .selectFrom('auth_sessions')
        .select(['restriction', 'revoked_at'])
        .where('account_id', '=', accountId)
        .execute();
      expect(sessions).toEqual([{ restriction: null, revoked_at: null }]);
    });
  }
});
