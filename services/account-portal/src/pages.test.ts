import { PORTAL_PATHS } from '@wallet-guard/contracts';
import { SUPPORTED_LOCALES } from '@wallet-guard/i18n';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_PATHS } from './route-conventions';
import { csrfOf, startTestPortal, type TestPortal } from './testing/harness';

/** Pages anyone can open (the signed-in ones need auth: tests/portal covers them). */
const OPEN_PAGES = [
  PAGE_PATHS.signIn,
  PAGE_PATHS.forgotPassword,
  PORTAL_PATHS.unlock,
  PORTAL_PATHS.resetPassword,
  PORTAL_PATHS.freeze,
  PAGE_PATHS.help,
];

/** Each form with fields that reach auth (which is unreachable here: every one answers its 503 page). */
const FORMS: [string, Record<string, string>][] = [
  [PAGE_PATHS.signIn, { email: 'someone@example.com', password: 'a password of some length' }],
  [PAGE_PATHS.forgotPassword, { email: 'someone@example.com' }],
  [PORTAL_PATHS.unlock, { token: 'ul_0123456789abcdefghijklmnop' }],
  [PORTAL_PATHS.resetPassword, { token: 'pr_0123456789abcdefghijklmnop', newPassword: 'correct horse battery' }],
  [PORTAL_PATHS.freeze, { token: 'fz_0123456789abcdefghijklmnop' }],
];

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal({ env: { PORTAL_RATE_LIMIT_PER_MINUTE: '1000' } });
});
afterAll(async () => {
  await portal?.close();
});

describe('portal pages', () => {
  it('render in every language with the strict policy, and never carry a token in a URL', async () => {
    for (const locale of SUPPORTED_LOCALES) {
      const visitor = portal.visitor({ 'accept-language': locale });
      for (const path of OPEN_PAGES) {
        const page = await visitor.get(path);
        expect(page.statusCode, path).toBe(200);
        expect(page.body).toContain(`<html lang="${locale}">`);
        expect(page.headers['content-security-policy']).toContain("script-src 'self'");
        expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
        expect(page.headers['referrer-policy']).toBe('no-referrer');
        expect(page.headers['cache-control']).toBe('no-store');
        expect(page.body).not.toMatch(/<script>|\son[a-z]+="/);
        expect(page.body).not.toMatch(/[?&]token=/);
      }
      for (const [path, fields] of FORMS) {
        const answer = await visitor.submit(path, path, fields);
        expect(answer.statusCode, `${locale} ${path}`).toBe(503);
        expect(answer.body).toContain(`<html lang="${locale}">`);
        expect(answer.body).toContain('role="alert"');
      }
    }
  });

  it('the session cookie is encrypted, HttpOnly and SameSite=Lax; nothing readable about the session in it', async () => {
    const answer = await portal.visitor().get(PAGE_PATHS.signIn);
    const cookie = String(answer.headers['set-cookie']);
    expect(cookie).toMatch(/^portal-session=[^;]+; Max-Age=28800; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(cookie).not.toContain('_csrf');
  });

  it("refuses every form posted without this session's CSRF token, and reaches no one", async () => {
    for (const [path, fields] of FORMS) {
      const visitor = portal.visitor();
      await visitor.get(path);
      const missing = await visitor.post(path, fields);
      expect(missing.statusCode, path).toBe(403);
      expect(missing.headers['x-error-code']).toBe('PORTAL_CSRF_REJECTED');
      expect(missing.body).toContain('This form has expired');
      const other = portal.visitor();
      const foreign = csrfOf((await other.get(path)).body);
      const forged = await visitor.post(path, { ...fields, _csrf: foreign });
      expect(forged.statusCode, path).toBe(403);
    }
  });

  it('the switcher remembers a language and goes back only to portal pages', async () => {
    const visitor = portal.visitor({ 'accept-language': 'en' });
    const page = await visitor.get(PORTAL_PATHS.unlock);
    const switched = await visitor.post(PAGE_PATHS.language, {
      _csrf: csrfOf(page.body),
      lang: 'zh-CN',
      back: PORTAL_PATHS.unlock,
    });
    expect(switched.statusCode).toBe(303);
    expect(switched.headers.location).toBe(PORTAL_PATHS.unlock);
    expect(String(switched.headers['set-cookie'])).toMatch(
      /portal-lang=zh-CN; Max-Age=31536000; Path=\/; HttpOnly; SameSite=Lax/,
    );
    expect((await visitor.get(PORTAL_PATHS.unlock)).body).toContain('解锁您的账户');

    const away = await visitor.post(PAGE_PATHS.language, {
      _csrf: csrfOf(page.body),
      lang: 'en',
      back: 'https://evil.example/',
    });
    expect(away.headers.location).toBe(PAGE_PATHS.home);
  });

  it('production: __Host- cookies with Secure', async () => {
    const production = await startTestPortal({
      env: {
        NODE_ENV: 'production',
        PORTAL_AUTH_API_KEY: 'a-real-wallet-scope-key',
        PORTAL_CASES_API_KEY: 'a-real-cases-wallet-key',
        PORTAL_MONITOR_API_KEY: 'a-real-monitor-wallet-key',
        PORTAL_SESSION_KEY: Buffer.alloc(32, 9).toString('base64'),
      },
    });
    try {
      const answer = await production.visitor().get(PAGE_PATHS.signIn);
      expect(String(answer.headers['set-cookie'])).toMatch(
        /^__Host-portal-session=[^;]+; Max-Age=28800; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
      );
    } finally {
      await production.close();
    }
  });

  it('limits form posts per IP, and says so in words', async () => {
    const limited = await startTestPortal({ env: { PORTAL_RATE_LIMIT_PER_MINUTE: '2' } });
    try {
      const visitor = limited.visitor({ 'accept-language': 'zh-CN' });
      const csrf = csrfOf((await visitor.get(PAGE_PATHS.forgotPassword)).body);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        statuses.push(
          (await visitor.post(PAGE_PATHS.forgotPassword, { _csrf: csrf, email: 'a@example.com' })).statusCode,
        );
      }
      expect(statuses).toEqual([503, 503, 429]);
      const refused = await visitor.post(PAGE_PATHS.forgotPassword, { _csrf: csrf, email: 'a@example.com' });
      expect(refused.headers['x-error-code']).toBe('PORTAL_RATE_LIMITED');
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
      expect(refused.body).toContain('尝试次数过多');
    } finally {
      await limited.close();
    }
  });

  it('the signed-in page sends a visitor without a session to sign in', async () => {
    const answer = await portal.visitor().get(PAGE_PATHS.account);
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe(PAGE_PATHS.signIn);
  });
});
