import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, latestToken, startAuth, strongPassword } from '../testing/harness';
import { enrolledUser, mfaTokenFor, nextCode, secondStep, type TwoFactorUser, wrongCode } from '../testing/two-factor';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

const disable = (user: TwoFactorUser, payload: object) =>
  auth.wallet({ method: 'DELETE', url: '/v1/accounts/me/totp', payload }, user.accessToken);
const regenerate = (user: TwoFactorUser, payload: object) =>
  auth.wallet({ method: 'POST', url: '/v1/accounts/me/recovery-codes', payload }, user.accessToken);
const status = async (user: TwoFactorUser) =>
  (await auth.wallet({ method: 'GET', url: '/v1/accounts/me/totp' }, user.accessToken)).json();
const codeOf = (res: { statusCode: number; json(): { error?: { code: string } } }) => [
  res.statusCode,
  res.json().error?.code,
];
const wrong = (user: TwoFactorUser) => wrongCode(user.secret, auth.clock.now());
const rowsOf = async (accountId: string) => ({
  totp: await auth.db.db.selectFrom('auth_totp').selectAll().where('account_id', '=', accountId).execute(),
  codes: await auth.db.db.selectFrom('auth_recovery_codes').selectAll().where('account_id', '=', accountId).execute(),
});

describe('turning two-factor off', () => {
  it('needs the password and a code; then the secret and codes go, totp.disabled and a notice go out', async () => {
    const user = await enrolledUser(auth);
    expect(codeOf(await disable(user, { password: user.password }))).toEqual([400, 'AUTH_VALIDATION_FAILED']);
    expect(codeOf(await disable(user, { password: user.password, code: wrong(user) }))).toEqual([
      401,
      'AUTH_SECOND_FACTOR_INVALID',
    ]);
    const code = nextCode(auth, user.secret);
    expect(codeOf(await disable(user, { password: `${user.password}x`, code }))).toEqual([
      401,
      'AUTH_INVALID_CREDENTIALS',
    ]);
    expect((await status(user)).enabled).toBe(true);
    expect(await auth.securityEvents(user.accountId, 'totp.disabled')).toEqual([]);

    // The wrong password came first, so the code was not used up by it.
    const res = await disable(user, { password: user.password, code });
    expect(res.statusCode).toBe(204);
    expect(await status(user)).toEqual({ enabled: false, enrolledAt: null, recoveryCodesLeft: 0 });
    expect(await rowsOf(user.accountId)).toEqual({ totp: [], codes: [] });
    expect(await auth.securityEvents(user.accountId, 'totp.disabled')).toHaveLength(1);
    const notices = await auth.notifications(user.accountId, 'notification.two_factor_changed');
    expect(notices.map((n) => (n.payload as { change: string }).change)).toEqual(['enabled', 'disabled']);
    expect(await latestToken(auth, user.accountId, 'notification.two_factor_changed')).toMatch(/^fz_/);
    expect((await auth.signIn(user.email, user.password)).json()).toHaveProperty('accessToken');
    expect(codeOf(await disable(user, { password: user.password, code: nextCode(auth, user.secret) }))).toEqual([
      409,
      'AUTH_TOTP_NOT_ENABLED',
    ]);
  });

  it('takes a recovery code instead of a code', async () => {
    const user = await enrolledUser(auth);
    const res = await disable(user, { password: user.password, recoveryCode: user.recoveryCodes[4] });
    expect(res.statusCode).toBe(204);
    // The set is gone with two-factor: no "codes running low" warning for it.
    expect(await auth.notifications(user.accountId, 'notification.recovery_codes_low')).toEqual([]);
  });

  it('counts wrong codes towards the lockout: the threshold locks (account.locked), then even the right code fails', async () => {
    const user = await enrolledUser(auth);
    for (let i = 0; i < 5; i++) await disable(user, { password: user.password, code: wrong(user) });
    const locks = (await auth.securityEvents(user.accountId, 'account.locked')).map((e) => e.payload);
    expect(locks).toMatchObject([{ reason: 'too_many_second_factor_failures' }]);
    const locked = await disable(user, { password: user.password, code: nextCode(auth, user.secret) });
    expect(codeOf(locked)).toEqual([401, 'AUTH_SECOND_FACTOR_INVALID']);
    expect((await status(user)).enabled).toBe(true);
  });
});

describe('new recovery codes', () => {
  it('need a code; the new set replaces the old one entirely', async () => {
    const user = await enrolledUser(auth);
    expect(codeOf(await regenerate(user, {}))).toEqual([400, 'AUTH_VALIDATION_FAILED']);
    expect(codeOf(await regenerate(user, { code: wrong(user) }))).toEqual([401, 'AUTH_SECOND_FACTOR_INVALID']);
    const res = await regenerate(user, { code: nextCode(auth, user.secret) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const fresh: string[] = res.json().recoveryCodes;
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((c) => user.recoveryCodes.includes(c))).toEqual([]);
    expect((await status(user)).recoveryCodesLeft).toBe(10);

    const old = await secondStep(auth, {
      mfaToken: await mfaTokenFor(auth, user),
      recoveryCode: user.recoveryCodes[0],
    });
    expect(codeOf(old)).toEqual([401, 'AUTH_SECOND_FACTOR_INVALID']);
    const now = await secondStep(auth, { mfaToken: await mfaTokenFor(auth, user), recoveryCode: fresh[0] });
    expect(now.statusCode).toBe(200);
    expect((await status(user)).recoveryCodesLeft).toBe(9);

    expect(await auth.securityEvents(user.accountId, 'recovery_codes.regenerated')).toHaveLength(1);
    const notices = await auth.notifications(user.accountId, 'notification.two_factor_changed');
    expect(notices.at(-1)?.payload).toMatchObject({ change: 'recovery_codes_regenerated' });

    // A recovery code of the current set works for the next set too.
    expect((await regenerate(user, { recoveryCode: fresh[1] })).statusCode).toBe(200);
  });

  it('of two concurrent requests with the same code, exactly one gets a set', async () => {
    const user = await enrolledUser(auth);
    const code = nextCode(auth, user.secret);
    const answers = await Promise.all([regenerate(user, { code }), regenerate(user, { code })]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 401]);
    expect(await auth.securityEvents(user.accountId, 'recovery_codes.regenerated')).toHaveLength(1);
  });

  it('are refused (409) while two-factor is off', async () => {
    const { email, password } = await auth.register();
    const { accessToken } = (await auth.signIn(email, password)).json();
    const res = await auth.wallet(
      { method: 'POST', url: '/v1/accounts/me/recovery-codes', payload: { code: '123456' } },
      accessToken,
    );
    expect(codeOf(res)).toEqual([409, 'AUTH_TOTP_NOT_ENABLED']);
  });
});

describe('step-up for password change and reset', () => {
  it('a password change needs a code when two-factor is on', async () => {
    const user = await enrolledUser(auth);
    const newPassword = strongPassword();
    const change = (extra: object) =>
      auth.wallet(
        {
          method: 'POST',
          url: '/v1/accounts/me/password',
          payload: { currentPassword: user.password, newPassword, ...extra },
        },
        user.accessToken,
      );
    expect(codeOf(await change({}))).toEqual([401, 'AUTH_SECOND_FACTOR_INVALID']);
    expect(codeOf(await change({ totpCode: wrong(user) }))).toEqual([401, 'AUTH_SECOND_FACTOR_INVALID']);
    expect((await auth.signIn(user.email, user.password)).json().mfaRequired).toBe(true);
    expect((await change({ totpCode: nextCode(auth, user.secret) })).statusCode).toBe(204);
    expect((await auth.signIn(user.email, newPassword)).json().mfaRequired).toBe(true);
  });

  it('a reset on a two-factor account fails without a code, and never turns two-factor off', async () => {
    const user = await enrolledUser(auth);
    await auth.wallet({ method: 'POST', url: '/v1/password-resets', payload: { email: user.email } });
    const token = await latestToken(auth, user.accountId, 'notification.password_reset_link');
    const newPassword = strongPassword();
    const confirm = (extra: object) =>
      auth.wallet({ method: 'POST', url: '/v1/password-resets/confirm', payload: { token, newPassword, ...extra } });
    expect(codeOf(await confirm({}))).toEqual([401, 'AUTH_SECOND_FACTOR_INVALID']);
    expect(codeOf(await confirm({ recoveryCode: 'aaaaa-aaaaa' }))).toEqual([401, 'AUTH_SECOND_FACTOR_INVALID']);
    expect(await auth.securityEvents(user.accountId, 'password.reset')).toEqual([]);
    expect((await auth.signIn(user.email, user.password)).json().mfaRequired).toBe(true);

    expect((await confirm({ recoveryCode: user.recoveryCodes[2] })).statusCode).toBe(204);
    const after = await auth.signIn(user.email, newPassword);
    expect(after.json().mfaRequired).toBe(true);
    const session = await secondStep(auth, { mfaToken: after.json().mfaToken, code: nextCode(auth, user.secret) });
    expect(session.statusCode).toBe(200);
  });
});
