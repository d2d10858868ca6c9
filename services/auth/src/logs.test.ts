import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, latestToken, startAuth, strongPassword } from './testing/harness';
import { base32Decode, mfaTokenFor, nextCode, secondStep, wrongCode } from './testing/two-factor';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth({ env: { LOG_LEVEL: 'trace' } });
});
afterAll(() => auth.close());

/** What a test must not see again (`secrets`), and the error bodies of every answer passed through `keep`. */
function collector() {
  const secrets: string[] = [];
  const errorBodies: string[] = [];
  const keep = <T extends { statusCode: number; body: string }>(res: T) => {
    if (res.statusCode >= 400) errorBodies.push(res.body);
    return res;
  };
  return { secrets, errorBodies, keep };
}

describe('logs and error bodies', () => {
  it('never contain a password, a token or a code, through every flow', async () => {
    const { secrets, errorBodies, keep } = collector();
    const { accountId, email, password } = await auth.register();
    secrets.push(password);
    const signedIn = keep(await auth.signIn(email, password, { deviceId: 'phone' })).json();
    secrets.push(signedIn.accessToken, signedIn.refreshToken);
    const wrong = 'Not-the-password-but-secret-7';
    secrets.push(wrong);
    for (let i = 0; i < 5; i++) keep(await auth.signIn(email, wrong));
    const refreshed = keep(
      await auth.wallet({
        method: 'POST',
        url: '/v1/sessions/refresh',
        payload: { refreshToken: signedIn.refreshToken },
      }),
    ).json();
    secrets.push(refreshed.accessToken, refreshed.refreshToken);
    // Reuse, an invalid bearer token, a weak new password: error paths log too.
    keep(
      await auth.wallet({
        method: 'POST',
        url: '/v1/sessions/refresh',
        payload: { refreshToken: signedIn.refreshToken },
      }),
    );
    keep(await auth.wallet({ method: 'GET', url: '/v1/sessions' }, `${refreshed.accessToken}x`));
    const unlock = await latestToken(auth, accountId, 'notification.unlock_link');
    secrets.push(unlock);
    keep(await auth.wallet({ method: 'POST', url: '/v1/unlocks', payload: { token: unlock, totpCode: '246810' } }));
    keep(await auth.wallet({ method: 'POST', url: '/v1/unlocks', payload: { token: unlock } }));
    secrets.push('246810');
    keep(await auth.wallet({ method: 'POST', url: '/v1/password-resets', payload: { email } }));
    const reset = await latestToken(auth, accountId, 'notification.password_reset_link');
    const weak = 'password123';
    const next = strongPassword();
    secrets.push(reset, next);
    keep(
      await auth.wallet({
        method: 'POST',
        url: '/v1/password-resets/confirm',
        payload: { token: reset, newPassword: weak },
      }),
    );
    keep(
      await auth.wallet({
        method: 'POST',
        url: '/v1/password-resets/confirm',
        payload: { token: reset, newPassword: next },
      }),
    );
    const session = keep(await auth.signIn(email, next)).json();
    secrets.push(session.accessToken, session.refreshToken);
    const freezeToken = await latestToken(auth, accountId, 'notification.password_changed');
    secrets.push(freezeToken);
    keep(await auth.wallet({ method: 'POST', url: '/v1/freezes', payload: { token: freezeToken } }));
    keep(await auth.wallet({ method: 'POST', url: '/v1/freezes', payload: { token: freezeToken } }));

    expect(auth.logs.lines.length).toBeGreaterThan(20);
    expect(auth.logs.text).toContain('account locked');
    expect(auth.logs.leaked(secrets)).toEqual([]);
    expect(errorBodies.length).toBeGreaterThan(8);
    const errors = errorBodies.join('\n');
    expect(secrets.filter((s) => errors.includes(s))).toEqual([]);
  });
  it('never contain a TOTP secret, a code, a recovery code or an mfaToken, through every two-factor flow', async () => {
    const { secrets, errorBodies, keep } = collector();
    const user = await auth.register();
    const { accessToken } = (await auth.signIn(user.email, user.password)).json();
    const enrolment = keep(await auth.wallet({ method: 'POST', url: '/v1/accounts/me/totp' }, accessToken)).json();
    const secret = base32Decode(enrolment.secret);
    secrets.push(enrolment.secret, secret.toString('hex'), secret.toString('base64'), accessToken);
    const wrong = wrongCode(secret, auth.clock.now());
    const code = nextCode(auth, secret);
    secrets.push(wrong, code);
    const confirm = async (c: string) =>
      keep(
        await auth.wallet({ method: 'POST', url: '/v1/accounts/me/totp/confirm', payload: { code: c } }, accessToken),
      );
    await confirm(wrong);
    const { recoveryCodes } = (await confirm(code)).json();
    secrets.push(...recoveryCodes);

    const mfaToken = await mfaTokenFor(auth, user);
    secrets.push(mfaToken);
    keep(await secondStep(auth, { mfaToken, code: wrong }));
    keep(await secondStep(auth, { mfaToken, code }));
    keep(await secondStep(auth, { mfaToken, recoveryCode: 'aaaaa-bbbbb' }));
    const session = keep(await secondStep(auth, { mfaToken, recoveryCode: recoveryCodes[0] })).json();
    secrets.push(session.accessToken, session.refreshToken);
    keep(await secondStep(auth, { mfaToken, code: '12345' }));
    const next = nextCode(auth, secret);
    secrets.push(next);
    const regenerated = keep(
      await auth.wallet(
        { method: 'POST', url: '/v1/accounts/me/recovery-codes', payload: { code: next } },
        accessToken,
      ),
    ).json();
    secrets.push(...regenerated.recoveryCodes);
    keep(
      await auth.wallet(
        { method: 'DELETE', url: '/v1/accounts/me/totp', payload: { password: user.password, code: next } },
        accessToken,
      ),
    );
    const last = nextCode(auth, secret);
    secrets.push(last, user.password);
    keep(
      await auth.wallet(
        { method: 'DELETE', url: '/v1/accounts/me/totp', payload: { password: user.password, code: last } },
        accessToken,
      ),
    );
    secrets.push(await latestToken(auth, user.accountId, 'notification.two_factor_changed'));

    expect(auth.logs.text).toContain('/v1/sessions/mfa');
    // Six digits turn up inside timestamps and durations by chance; a logged code stands on its own.
    const codes = secrets.filter((s) => /^\d{6}$/.test(s));
    expect(codes.filter((c) => new RegExp(`(?<![\\d.])${c}(?!\\d)`).test(auth.logs.text))).toEqual([]);
    expect(auth.logs.leaked(secrets.filter((s) => !codes.includes(s)))).toEqual([]);
    expect(errorBodies.length).toBeGreaterThanOrEqual(5);
    const errors = errorBodies.join('\n');
    expect(secrets.filter((s) => errors.includes(s))).toEqual([]);
  });
});
