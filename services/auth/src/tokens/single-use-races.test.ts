// Every single-use credential auth hands out, presented several times at the same moment on
// real Postgres: exactly one presentation succeeds. One-after-another reuse is covered next to
// each feature; this is the race, which only the database can settle (an atomic
// `update ... where used_at is null returning`, not a read followed by a write).
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, latestToken, startAuth, strongPassword } from '../testing/harness';
import { enrolledUser, mfaTokenFor, nextCode, secondStep } from '../testing/two-factor';

const AT_ONCE = 6;

let auth: AuthHarness;
beforeAll(async () => {
  // Room in the hashing line for every presentation at once (resets hash the new password).
  auth = await startAuth({ env: { AUTH_HASH_QUEUE_MAX: '100' } });
});
afterAll(() => auth.close());

/** `AT_ONCE` copies of the request, sent together; their status codes, sorted. */
async function atOnce(request: (i: number) => Promise<LightMyRequestResponse>): Promise<number[]> {
  const answers = await Promise.all(Array.from({ length: AT_ONCE }, (_, i) => request(i)));
  return answers.map((a) => a.statusCode).sort();
}

const oneSucceeds = (success: number) => [success, ...Array(AT_ONCE - 1).fill(401)].sort();

async function lockedOut() {
  const account = await auth.register();
  for (let i = 0; i < 5; i++) await auth.signIn(account.email, 'definitely-not-the-password');
  return account;
}

describe('single-use tokens used at the same moment: exactly one succeeds', () => {
  it('a refresh token', async () => {
    const { email, password } = await auth.register();
    const { refreshToken } = (await auth.signIn(email, password)).json();
    const statuses = await atOnce(() =>
      auth.wallet({ method: 'POST', url: '/v1/sessions/refresh', payload: { refreshToken } }),
    );
    expect(statuses).toEqual(oneSucceeds(200));
  });

  it('a password reset link', async () => {
    const { accountId, email } = await auth.register();
    await auth.wallet({ method: 'POST', url: '/v1/password-resets', payload: { email } });
    const token = await latestToken(auth, accountId, 'notification.password_reset_link');
    const passwords = Array.from({ length: AT_ONCE }, () => strongPassword());
    const statuses = await atOnce((i) =>
      auth.wallet({
        method: 'POST',
        url: '/v1/password-resets/confirm',
        payload: { token, newPassword: passwords[i] },
      }),
    );
    expect(statuses).toEqual(oneSucceeds(204));
    expect(await auth.securityEvents(accountId, 'password.reset')).toHaveLength(1);
  });

  it('an unlock link', async () => {
    const { accountId } = await lockedOut();
    const token = await latestToken(auth, accountId, 'notification.unlock_link');
    const statuses = await atOnce(() => auth.wallet({ method: 'POST', url: '/v1/unlocks', payload: { token } }));
    expect(statuses).toEqual(oneSucceeds(204));
    expect(await auth.securityEvents(accountId, 'account.unlocked')).toHaveLength(1);
  });

  it('a freeze link', async () => {
    const { accountId, email, password } = await auth.register();
    await auth.signIn(email, password, { deviceId: 'phone' });
    const token = await latestToken(auth, accountId, 'notification.new_sign_in');
    const statuses = await atOnce(() => auth.wallet({ method: 'POST', url: '/v1/freezes', payload: { token } }));
    expect(statuses).toEqual(oneSucceeds(204));
    expect(await auth.securityEvents(accountId, 'account.frozen')).toHaveLength(1);
  });

  it('a recovery code, each time with a challenge of its own', async () => {
    const user = await enrolledUser(auth);
    const recoveryCode = user.recoveryCodes[0] as string;
    const challenges: string[] = [];
    for (let i = 0; i < AT_ONCE; i++) challenges.push(await mfaTokenFor(auth, user));
    const statuses = await atOnce((i) => secondStep(auth, { mfaToken: challenges[i] as string, recoveryCode }));
    expect(statuses).toEqual(oneSucceeds(200));
  });

  it('an mfa token, each time with a different valid proof', async () => {
    const user = await enrolledUser(auth);
    const mfaToken = await mfaTokenFor(auth, user);
    const code = nextCode(auth, user.secret);
    // One TOTP code and recovery codes: each proof would do on its own, so only the token's
    // single use can refuse the others.
    const statuses = await atOnce((i) =>
      secondStep(auth, i === 0 ? { mfaToken, code } : { mfaToken, recoveryCode: user.recoveryCodes[i] as string }),
    );
    expect(statuses).toEqual(oneSucceeds(200));
  });
});
