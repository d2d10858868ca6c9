import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, startAuth } from '../testing/harness';
import {
  enrolledUser,
  mfaTokenFor,
  nextCode,
  nextStep,
  secondStep,
  type TwoFactorUser,
  totpAt,
  wrongCode,
} from '../testing/two-factor';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

const introspect = async (token: string) =>
  (await auth.wallet({ method: 'POST', url: '/v1/tokens/introspect', payload: { token } })).json();
const wrong = (user: TwoFactorUser) => wrongCode(user.secret, auth.clock.now());
const codeOf = (res: { statusCode: number; json(): { error?: { code: string } } }) => [
  res.statusCode,
  res.json().error?.code,
];

describe('the second sign-in step', () => {
  it('starts an aal 2 session with amr [pwd, otp], keeping the context of the password step', async () => {
    const user = await enrolledUser(auth);
    const mfaToken = await mfaTokenFor(auth, user, { deviceId: 'tablet', ip: '198.51.100.7' });
    const res = await secondStep(auth, { mfaToken, code: nextCode(auth, user.secret) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken', 'sessionId']);
    expect(await introspect(body.accessToken)).toMatchObject({
      active: true,
      sub: user.accountId,
      sid: body.sessionId,
      amr: ['pwd', 'otp'],
      aal: 2,
    });
    const succeeded = (await auth.securityEvents(user.accountId, 'sign_in.succeeded')).at(-1)?.payload;
    expect(succeeded).toMatchObject({ amr: ['pwd', 'otp'], newDevice: true, context: { deviceId: 'tablet' } });
    expect(await auth.notifications(user.accountId, 'notification.new_sign_in')).toHaveLength(1);
    // The token is spent: it starts one session only.
    const again = await secondStep(auth, { mfaToken, code: nextCode(auth, user.secret) });
    expect(codeOf(again)).toEqual([401, 'AUTH_INVALID_TOKEN']);
  });

  it('refuses a code already used, even inside its window', async () => {
    const user = await enrolledUser(auth);
    const code = nextCode(auth, user.secret);
    expect((await secondStep(auth, { mfaToken: await mfaTokenFor(auth, user), code })).statusCode).toBe(200);
    const replay = await secondStep(auth, { mfaToken: await mfaTokenFor(auth, user), code });
    expect(codeOf(replay)).toEqual([401, 'AUTH_SECOND_FACTOR_INVALID']);
    // So is an older code that is still inside the drift window.
    const older = totpAt(user.secret, auth.clock.now(), -1);
    expect(codeOf(await secondStep(auth, { mfaToken: await mfaTokenFor(auth, user), code: older }))).toEqual([
      401,
      'AUTH_SECOND_FACTOR_INVALID',
    ]);
  });

  it('of concurrent requests with the same valid code, exactly one succeeds', async () => {
    const user = await enrolledUser(auth);
    const tokens = await Promise.all(Array.from({ length: 4 }, () => mfaTokenFor(auth, user)));
    const code = nextCode(auth, user.secret);
    const answers = await Promise.all(tokens.map((mfaToken) => secondStep(auth, { mfaToken, code })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 401, 401, 401]);
  });

  it('accepts one step of drift against the server clock either side, not two', async () => {
    const user = await enrolledUser(auth);
    // Two steps past the confirming code, so the step before "now" is unused too.
    nextStep(auth);
    nextStep(auth);
    const now = auth.clock.now();
    const mfaToken = await mfaTokenFor(auth, user);
    for (const offset of [-2, 2]) {
      const res = await secondStep(auth, { mfaToken, code: totpAt(user.secret, now, offset) });
      expect(codeOf(res)).toEqual([401, 'AUTH_SECOND_FACTOR_INVALID']);
    }
    expect((await secondStep(auth, { mfaToken, code: totpAt(user.secret, now, -1) })).statusCode).toBe(200);
    const ahead = await secondStep(auth, {
      mfaToken: await mfaTokenFor(auth, user),
      code: totpAt(user.secret, now, 1),
    });
    expect(ahead.statusCode).toBe(200);
  });

  it('takes a recovery code once (amr recovery), records it, and warns when two or fewer are left', async () => {
    const user = await enrolledUser(auth);
    const [first, ...rest] = user.recoveryCodes as [string, ...string[]];
    const used = await secondStep(auth, { mfaToken: await mfaTokenFor(auth, user), recoveryCode: first.toUpperCase() });
    expect(used.statusCode).toBe(200);
    expect(await introspect(used.json().accessToken)).toMatchObject({ amr: ['pwd', 'recovery'], aal: 2 });
    const twice = await secondStep(auth, { mfaToken: await mfaTokenFor(auth, user), recoveryCode: first });
    expect(codeOf(twice)).toEqual([401, 'AUTH_SECOND_FACTOR_INVALID']);

    for (const code of rest.slice(0, 7)) {
      const res = await secondStep(auth, { mfaToken: await mfaTokenFor(auth, user), recoveryCode: code });
      expect(res.statusCode).toBe(200);
    }
    const remaining = (await auth.securityEvents(user.accountId, 'recovery_code.used')).map((e) => e.payload);
    expect(remaining.map((p) => (p as { remaining: number }).remaining)).toEqual([9, 8, 7, 6, 5, 4, 3, 2]);
    const low = await auth.notifications(user.accountId, 'notification.recovery_codes_low');
    expect(low.map((n) => n.payload)).toMatchObject([{ remaining: 2, email: user.email }]);
    const status = await auth.wallet({ method: 'GET', url: '/v1/accounts/me/totp' }, user.accessToken);
    expect(status.json().recoveryCodesLeft).toBe(2);
  });

  it('gives an mfaToken 5 attempts: concurrent ones included, none after', async () => {
    const user = await enrolledUser(auth);
    const mfaToken = await mfaTokenFor(auth, user);
    for (let i = 0; i < 4; i++) await secondStep(auth, { mfaToken, code: wrong(user) });
    // The fifth attempt may still be the right one (the counter was at 4, under the threshold).
    expect((await secondStep(auth, { mfaToken, code: nextCode(auth, user.secret) })).statusCode).toBe(200);

    const burst = await mfaTokenFor(auth, user);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => secondStep(auth, { mfaToken: burst, code: '000000' })),
    );
    const codes = answers.map((a) => a.json().error.code);
    expect(codes.filter((c) => c === 'AUTH_INVALID_TOKEN')).toHaveLength(3);
    expect(codes.filter((c) => c === 'AUTH_SECOND_FACTOR_INVALID')).toHaveLength(5);
  });

  it('lets an mfaToken live 5 minutes', async () => {
    const user = await enrolledUser(auth);
    const mfaToken = await mfaTokenFor(auth, user);
    auth.clock.advance(301);
    expect(codeOf(await secondStep(auth, { mfaToken, code: nextCode(auth, user.secret) }))).toEqual([
      401,
      'AUTH_INVALID_TOKEN',
    ]);
  });

  it('locks the account at the threshold of wrong codes (account.locked), then answers as for a wrong code', async () => {
    const user = await enrolledUser(auth);
    const later = await mfaTokenFor(auth, user);
    const mfaToken = await mfaTokenFor(auth, user);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await secondStep(auth, { mfaToken, code: wrong(user) }));
    const locks = await auth.securityEvents(user.accountId, 'account.locked');
    expect(locks.map((e) => e.payload)).toMatchObject([{ reason: 'too_many_second_factor_failures', failures: 5 }]);
    expect(await auth.notifications(user.accountId, 'notification.unlock_link')).toHaveLength(1);
    const failed = await auth.securityEvents(user.accountId, 'sign_in.failed');
    expect(failed.map((e) => (e.payload as { reason: string }).reason)).toEqual(Array(5).fill('wrong_second_factor'));

    // Locked: the right code gets exactly what a wrong one got, and the password the usual 401.
    const locked = await secondStep(auth, { mfaToken: later, code: nextCode(auth, user.secret) });
    expect([locked.statusCode, locked.body]).toEqual([answers[0]?.statusCode, answers[0]?.body]);
    expect(codeOf(await auth.signIn(user.email, user.password))).toEqual([401, 'AUTH_INVALID_CREDENTIALS']);
    expect(await auth.securityEvents(user.accountId, 'account.locked')).toHaveLength(1);
  });

  it('answers a code for an account frozen since the password step as for a wrong code', async () => {
    const user = await enrolledUser(auth);
    const mfaToken = await mfaTokenFor(auth, user);
    await auth.internal({
      method: 'POST',
      url: `/internal/v1/accounts/${user.accountId}/freeze`,
      payload: { actor: 'a' },
    });
    expect(codeOf(await secondStep(auth, { mfaToken, code: nextCode(auth, user.secret) }))).toEqual([
      401,
      'AUTH_SECOND_FACTOR_INVALID',
    ]);
    const failed = (await auth.securityEvents(user.accountId, 'sign_in.failed')).map((e) => e.payload);
    expect(failed).toMatchObject([{ reason: 'frozen' }]);
  });

  it('answers bad input with 400 and an unknown token with 401, never a 500', async () => {
    const user = await enrolledUser(auth);
    const mfaToken = await mfaTokenFor(auth, user);
    const code = totpAt(user.secret, auth.clock.now());
    for (const payload of [
      { mfaToken },
      { mfaToken, code, recoveryCode: user.recoveryCodes[0] },
      { mfaToken, code: '12345' },
      { mfaToken, recoveryCode: 'short' },
      { mfaToken: 'x', code },
      { code },
    ]) {
      const res = await auth.wallet({ method: 'POST', url: '/v1/sessions/mfa', payload });
      expect(codeOf(res)).toEqual([400, 'AUTH_VALIDATION_FAILED']);
    }
    const unknown = await secondStep(auth, { mfaToken: `mf_${'A'.repeat(43)}`, code });
    expect(codeOf(unknown)).toEqual([401, 'AUTH_INVALID_TOKEN']);
    const noKey = await auth.server.inject({ method: 'POST', url: '/v1/sessions/mfa', payload: { mfaToken, code } });
    expect(noKey.statusCode).toBe(401);
  });
});
