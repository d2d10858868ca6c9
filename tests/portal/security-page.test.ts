// The security page's two-step verification through the portal's own routes (inject, with a
// browser's cookie jar) in front of the real auth, whose recent-sign-in window is cut to one
// second here so its step-up answer (401 AUTH_REAUTHENTICATION_REQUIRED) can be seen.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { csrfOf, type TestVisitor } from '@wallet-guard/account-portal/testing';
import { noteSecretsIn, waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, enrolTotp, PASSWORD, type PortalSystem, register, startPortalSystem } from './portal-system';
import { timeStep, totpAt } from './totp';

let env: PortalSystem;
beforeAll(async () => {
  env = await startPortalSystem({ AUTH_RECENT_SIGN_IN_SECONDS: '1' });
});
afterAll(async () => {
  await env?.stop();
});

/** Auth's sign-in times are whole seconds: past a one-second window for sure. */
const PAST_WINDOW_MS = 2_200;

async function signedIn(): Promise<{ visitor: TestVisitor; email: string; accountId: string }> {
  const { email, accountId } = await register(env);
  const visitor = env.portal.visitor({ 'accept-language': 'en' });
  const answer = await visitor.submit('/sign-in', '/sign-in', { email, password: PASSWORD });
  expect([answer.statusCode, answer.headers.location]).toEqual([303, '/account']);
  return { visitor, email, accountId };
}

const secretIn = (body: string): string => (/id="secret"[^>]*>([A-Z2-7 ]+)</.exec(body)?.[1] ?? '').replace(/ /g, '');

describe('the security page with auth', () => {
  it('asks for the password when auth wants a recent sign-in, enrols, shows the codes once, and turns off', async () => {
    const { visitor } = await signedIn();
    await sleep(PAST_WINDOW_MS);
    const off = await visitor.get('/security');
    expect(off.statusCode).toBe(200);
    expect(off.body).toContain('Two-step verification is off');

    // Auth answers 401 AUTH_REAUTHENTICATION_REQUIRED: the page explains and asks for the password.
    const prompt = await visitor.submit('/security', '/security/two-step', {});
    expect(prompt.statusCode).toBe(401);
    expect(prompt.body).toContain('Confirm it is you');
    expect(prompt.body).toContain('needs your password when you signed in more than a few minutes ago');
    expect(prompt.body).toMatch(/<input id="password" name="password" type="password"/);
    const wrong = await visitor.post('/security/two-step', { _csrf: csrfOf(prompt.body), password: 'not-it-at-all' });
    expect([wrong.statusCode, wrong.body.includes('That password is not right')]).toEqual([401, true]);

    const enrolment = await visitor.post('/security/two-step', { _csrf: csrfOf(wrong.body), password: PASSWORD });
    expect(enrolment.statusCode).toBe(200);
    expect(enrolment.body).toMatch(/<img class="qr" id="qr-code" src="data:image\/png;base64,[A-Za-z0-9+/=]+"/);
    const secret = secretIn(enrolment.body);
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    noteSecretsIn({ secret });

    // A code of another time: refused in words, the form offered again (no secret kept by the portal).
    const stale = await visitor.post('/security/two-step/confirm', {
      _csrf: csrfOf(enrolment.body),
      code: totpAt(secret, timeStep() - 20),
    });
    expect([stale.statusCode, stale.body.includes('That code does not match')]).toEqual([422, true]);
    const step = timeStep();
    const confirmed = await visitor.post('/security/two-step/confirm', {
      _csrf: csrfOf(stale.body),
      code: totpAt(secret, step),
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.headers['cache-control']).toBe('no-store');
    const codes = [...confirmed.body.matchAll(/<li>([a-z0-9-]+)<\/li>/gi)].map((m) => m[1] as string);
    expect(codes).toHaveLength(10);
    noteSecretsIn({ recoveryCodes: codes });
    expect(confirmed.body).toContain('data-print hidden');

    const file = await visitor.post('/security/recovery-codes/download', {
      _csrf: csrfOf(confirmed.body),
      codes: codes.join(' '),
    });
    expect(file.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(file.headers['content-disposition']).toBe('attachment; filename="recovery-codes.txt"');
    expect(file.body.split('\r\n').filter((line) => codes.includes(line))).toEqual(codes);

    // Shown once: the security page says how many are left, never which.
    const on = await visitor.get('/security');
    expect(on.body).toContain('Two-step verification is on');
    for (const code of codes) expect(on.body).not.toContain(code);

    const refused = await visitor.post('/security/two-step/off', {
      _csrf: csrfOf(on.body),
      password: PASSWORD,
      code: totpAt(secret, step - 20),
    });
    expect([refused.statusCode, refused.body.includes('the one entered did not work')]).toEqual([401, true]);
    const done = await visitor.post('/security/two-step/off', {
      _csrf: csrfOf(refused.body),
      password: PASSWORD,
      recoveryCode: codes[0] as string,
    });
    expect([done.statusCode, done.headers.location]).toEqual([303, '/security']);
    expect((await visitor.get('/security')).body).toContain('Two-step verification is off, and your recovery codes');
    expect(env.portal.logs.leaked([PASSWORD, secret, ...codes])).toEqual([]);
  });

  it('new recovery codes: asks for the password and a code when the sign-in is old; the old set stops working', async () => {
    const { email } = await register(env);
    const { recoveryCodes: old } = await enrolTotp(env, email);
    noteSecretsIn({ recoveryCodes: old });
    const visitor = env.portal.visitor({ 'accept-language': 'en' });
    const first = await visitor.submit('/sign-in', '/sign-in', { email, password: PASSWORD });
    expect(first.headers.location).toBe('/sign-in/second-step');
    const second = await visitor.submit('/sign-in/second-step', '/sign-in/second-step', {
      recoveryCode: old[0] as string,
    });
    expect(second.headers.location).toBe('/account');
    await sleep(PAST_WINDOW_MS);

    const page = await visitor.get('/security');
    expect(page.body).toContain('Get new recovery codes');
    const missing = await visitor.post('/security/recovery-codes', { _csrf: csrfOf(page.body) });
    expect([missing.statusCode, missing.body.includes('To get new recovery codes, enter')]).toEqual([400, true]);
    const prompt = await visitor.post('/security/recovery-codes', {
      _csrf: csrfOf(missing.body),
      recoveryCode: old[1] as string,
    });
    expect([prompt.statusCode, prompt.body.includes('Confirm it is you')]).toEqual([401, true]);
    expect(prompt.body).toContain('action="/security/recovery-codes"');
    expect(prompt.body).toContain('name="recoveryCode"');
    const fresh = await visitor.post('/security/recovery-codes', {
      _csrf: csrfOf(prompt.body),
      password: PASSWORD,
      recoveryCode: old[1] as string,
    });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.body).toContain('the old ones no longer work');
    const codes = [...fresh.body.matchAll(/<li>([a-z0-9-]+)<\/li>/gi)].map((m) => m[1] as string);
    expect(codes).toHaveLength(10);
    noteSecretsIn({ recoveryCodes: codes });
    const stale = await visitor.post('/security/recovery-codes', {
      _csrf: csrfOf(fresh.body),
      password: PASSWORD,
      recoveryCode: old[2] as string,
    });
    expect([stale.statusCode, stale.body.includes('the one entered did not work')]).toEqual([401, true]);
    expect(env.portal.logs.leaked([PASSWORD, ...old, ...codes])).toEqual([]);
  });

  it('change password: the current one, the policy in words, other sessions end and this one stays', async () => {
    const { visitor, email } = await signedIn();
    const other = await api(env.system.auth.url, 'POST', '/v1/sessions', { email, password: PASSWORD });
    const page = await visitor.get('/security');
    expect(page.body).toContain('data-password-feedback="/password-feedback"');
    expect(page.body).not.toContain('id="pw-code"');
    const newPassword = `Harbour-${randomUUID().slice(0, 8)}-velvet-kite`;
    noteSecretsIn({ password: newPassword });
    const change = (fields: Record<string, string>, csrf: string) =>
      visitor.post('/security/password', { _csrf: csrf, ...fields });

    const wrong = await change({ currentPassword: 'not-it-at-all', newPassword }, csrfOf(page.body));
    expect([wrong.statusCode, wrong.body.includes('Your current password is not right')]).toEqual([401, true]);
    const common = await change({ currentPassword: PASSWORD, newPassword: 'password1234' }, csrfOf(wrong.body));
    expect([common.statusCode, common.body.includes('in a list of common passwords')]).toEqual([422, true]);
    const done = await change({ currentPassword: PASSWORD, newPassword }, csrfOf(common.body));
    expect([done.statusCode, done.headers.location]).toEqual([303, '/security']);
    expect((await visitor.get('/security')).body).toContain('Your password is changed');

    const ended = await api(env.system.auth.url, 'POST', '/v1/sessions/refresh', {
      refreshToken: other.body.refreshToken,
    });
    expect(ended.status).toBe(401);
    const again = await api(env.system.auth.url, 'POST', '/v1/sessions', { email, password: newPassword });
    expect(again.status).toBe(200);
    expect(env.portal.logs.leaked([PASSWORD, newPassword])).toEqual([]);
  });

  it('change password with two-step on needs a code too', async () => {
    const { email } = await register(env);
    const { recoveryCodes } = await enrolTotp(env, email);
    noteSecretsIn({ recoveryCodes });
    const visitor = env.portal.visitor({ 'accept-language': 'en' });
    await visitor.submit('/sign-in', '/sign-in', { email, password: PASSWORD });
    await visitor.submit('/sign-in/second-step', '/sign-in/second-step', { recoveryCode: recoveryCodes[0] as string });
    const page = await visitor.get('/security');
    expect(page.body).toContain('id="pw-code"');
    const newPassword = `Lantern-${randomUUID().slice(0, 8)}-orbit-quiet`;
    noteSecretsIn({ password: newPassword });
    const without = await visitor.post('/security/password', {
      _csrf: csrfOf(page.body),
      currentPassword: PASSWORD,
      newPassword,
    });
    expect([without.statusCode, without.body.includes('the one entered did not work')]).toEqual([401, true]);
    const withCode = await visitor.post('/security/password', {
      _csrf: csrfOf(without.body),
      currentPassword: PASSWORD,
      newPassword,
      recoveryCode: recoveryCodes[1] as string,
    });
    expect([withCode.statusCode, withCode.headers.location]).toEqual([303, '/security']);
  });

  it('sessions: device, IP, this one marked; end one; end every other one and this one stays', async () => {
    const { visitor, email } = await signedIn();
    const iphone =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1';
    const signInElsewhere = (userAgent: string, ip: string) =>
      api(env.system.auth.url, 'POST', '/v1/sessions', { email, password: PASSWORD, context: { userAgent, ip } });
    const phone = await signInElsewhere(iphone, '203.0.113.7');
    const laptop = await signInElsewhere(
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36',
      '198.51.100.4',
    );
    const refresh = (refreshToken: string) =>
      api(env.system.auth.url, 'POST', '/v1/sessions/refresh', { refreshToken });

    const page = await visitor.get('/security');
    const items = [...page.body.matchAll(/<li class="session( current)?">([\s\S]*?)<\/li>/g)];
    expect(items).toHaveLength(3);
    const current = items.filter((m) => m[1]);
    expect(current).toHaveLength(1);
    expect(current[0]?.[2]).toContain('(this device)');
    expect(current[0]?.[2]).not.toContain('<form');
    const phoneItem = items.find((m) => m[2]?.includes('Safari on iOS'));
    expect(phoneItem?.[2]).toContain('IP address 203.0.113.7');
    expect(page.body).toContain('Chrome on Windows');
    const phoneId = /name="sessionId" value="([^"]+)"/.exec(phoneItem?.[2] ?? '')?.[1] as string;
    expect(phoneId).toBe(phone.body.sessionId);

    const one = await visitor.post('/security/sessions/revoke', { _csrf: csrfOf(page.body), sessionId: phoneId });
    expect([one.statusCode, one.headers.location]).toEqual([303, '/security']);
    expect((await refresh(phone.body.refreshToken)).status).toBe(401);
    const after = await visitor.get('/security');
    expect(after.body).toContain('That device is signed out');
    expect([...after.body.matchAll(/<li class="session/g)]).toHaveLength(2);

    const all = await visitor.post('/security/sessions/revoke-others', { _csrf: csrfOf(after.body) });
    expect([all.statusCode, all.headers.location]).toEqual([303, '/security']);
    expect((await refresh(laptop.body.refreshToken)).status).toBe(401);
    const alone = await visitor.get('/security');
    expect(alone.statusCode).toBe(200);
    expect(alone.body).toContain('Every other device is signed out; this one stays signed in');
    expect(alone.body).toContain('You are signed in on this device only');
  });

  it('my account was stolen: frozen in one step, signed out, and an agent sees the P1 case', async () => {
    const { visitor, email, accountId } = await signedIn();
    const page = await visitor.get('/security');
    expect(page.body).toContain('My account was stolen');
    const frozen = await visitor.post('/security/freeze', { _csrf: csrfOf(page.body) });
    expect(frozen.statusCode).toBe(200);
    expect(frozen.body).toContain('Your account is frozen');
    expect(frozen.body).toContain('Our security team has been alerted');
    // Signed out: the page offers no account link, and the cookie opens nothing.
    expect(frozen.body).not.toContain('href="/account"');
    expect((await visitor.get('/security')).headers.location).toBe('/sign-in');
    const signIn = await api(env.system.auth.url, 'POST', '/v1/sessions', { email, password: PASSWORD });
    expect(signIn.status).toBe(401);
    const agent = { authorization: `Bearer ${await env.system.agentToken('ada')}` };
    const found = await waitFor(
      async () => {
        const cases = await api(env.system.cases.url, 'GET', `/v1/cases?accountId=${accountId}`, undefined, agent);
        return (cases.body.items as { priority: string }[]).find((c) => c.priority === 'P1');
      },
      { what: 'the P1 case of the theft report', timeoutMs: 30_000 },
    );
    expect(found.priority).toBe('P1');
  });

  it('a session auth ended is sent to sign-in from the security page and its forms', async () => {
    const { visitor } = await signedIn();
    const page = await visitor.get('/security');
    // The cookies from before sign-out, replayed by another browser.
    const replay = env.portal.visitor();
    for (const [name, value] of visitor.cookies) replay.cookies.set(name, value);
    const signOut = await visitor.post('/sign-out', { _csrf: csrfOf(page.body) });
    expect(signOut.statusCode).toBe(303);
    const refused = await replay.post('/security/two-step', { _csrf: csrfOf(page.body), password: PASSWORD });
    expect([refused.statusCode, refused.headers.location]).toEqual([303, '/sign-in']);
    expect((await replay.get('/sign-in')).body).toContain('Your session has ended');
    expect((await replay.get('/security')).headers.location).toBe('/sign-in');
  });
});
