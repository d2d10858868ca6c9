// Kind 5 (tokens that outlive what they were for): every token is bound to the account state it
// was issued for (tokens/token-lifecycle.ts), and the change of that state voids it. A freeze
// link from an older notification no longer freezes once an agent unfroze the account; an unlock
// link dies when the locks are lifted another way; a reset link when the password changes; an
// mfa token when the password it proved changes or the account is frozen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, latestToken, startAuth, strongPassword } from '../testing/harness';
import { base32Decode, enrolledUser, mfaTokenFor, nextCode, secondStep } from '../testing/two-factor';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

const WRONG = 'not-the-password-at-all';
const codeOf = (res: { statusCode: number; json(): { error?: { code: string } } }) => [
  res.statusCode,
  res.json()?.error?.code,
];
const freezeWith = (token: string) => auth.wallet({ method: 'POST', url: '/v1/freezes', payload: { token } });
const internal = (accountId: string, action: 'freeze' | 'unfreeze' | 'unlock') =>
  auth.internal({
    method: 'POST',
    url: `/internal/v1/accounts/${accountId}/${action}`,
    payload: { actor: 'agent:ada', reason: 'test' },
  });
const status = async (accountId: string) =>
  (await auth.internal({ method: 'GET', url: `/internal/v1/accounts/${accountId}` })).json().status;

async function lock(email: string): Promise<void> {
  for (let i = 0; i < auth.config.lockout.threshold; i++) await auth.signIn(email, WRONG);
}

describe('tokens bound to the state they were issued for', () => {
  it('an older freeze link no longer freezes once an agent unfroze the account; a newer one does', async () => {
    const { accountId, email, password } = await auth.register({ context: { deviceId: 'phone' } });
    await auth.signIn(email, password, { deviceId: 'laptop' });
    const first = await latestToken(auth, accountId, 'notification.new_sign_in');
    await auth.signIn(email, password, { deviceId: 'tablet' });
    const second = await latestToken(auth, accountId, 'notification.new_sign_in');
    expect(second).not.toBe(first);

    expect((await freezeWith(first)).statusCode).toBe(204);
    expect(await status(accountId)).toBe('frozen');
    expect((await internal(accountId, 'unfreeze')).statusCode).toBe(204);
    auth.clock.advance(60);

    // Whoever reads the mailbox holds the second link: it must not freeze the account again.
    expect(codeOf(await freezeWith(second))).toEqual([401, 'AUTH_INVALID_TOKEN']);
    expect(await status(accountId)).toBe('active');
    expect(await auth.securityEvents(accountId, 'account.frozen')).toHaveLength(1);
    const session = await auth.signIn(email, password, { deviceId: 'laptop' });
    expect(session.statusCode).toBe(200);
    expect((await auth.wallet({ method: 'GET', url: '/v1/sessions' }, session.json().accessToken)).statusCode).toBe(
      200,
    );

    await auth.signIn(email, password, { deviceId: 'desk' });
    expect((await freezeWith(await latestToken(auth, accountId, 'notification.new_sign_in'))).statusCode).toBe(204);
  });

  it('a freeze link survives a password change: "that was not me" must still work after the change it reports', async () => {
    const { accountId, email, password } = await auth.register();
    const { accessToken } = (await auth.signIn(email, password)).json();
    const change = await auth.wallet(
      {
        method: 'POST',
        url: '/v1/accounts/me/password',
        payload: { currentPassword: password, newPassword: strongPassword() },
      },
      accessToken,
    );
    expect(change.statusCode).toBe(204);
    expect((await freezeWith(await latestToken(auth, accountId, 'notification.password_changed'))).statusCode).toBe(
      204,
    );
  });

  it('an authenticator secret shown before a freeze cannot be confirmed after the unfreeze', async () => {
    const { accountId, email, password } = await auth.register();
    const before = (await auth.signIn(email, password)).json();
    const started = await auth.wallet({ method: 'POST', url: '/v1/accounts/me/totp' }, before.accessToken);
    expect(started.statusCode).toBe(201);
    const secret = base32Decode(started.json().secret);
    expect((await internal(accountId, 'freeze')).statusCode).toBe(204);
    expect((await internal(accountId, 'unfreeze')).statusCode).toBe(204);
    const after = (await auth.signIn(email, password)).json();
    const confirm = await auth.wallet(
      { method: 'POST', url: '/v1/accounts/me/totp/confirm', payload: { code: nextCode(auth, secret) } },
      after.accessToken,
    );
    expect(codeOf(confirm)[0]).toBe(409);
    expect(await auth.securityEvents(accountId, 'totp.enabled')).toEqual([]);
  });

  it('an unlock link dies when the locks are lifted another way: by a reset, or by an agent', async () => {
    const byReset = await auth.register();
    await lock(byReset.email);
    const unlock = await latestToken(auth, byReset.accountId, 'notification.unlock_link');
    await auth.wallet({ method: 'POST', url: '/v1/password-resets', payload: { email: byReset.email } });
    const reset = await latestToken(auth, byReset.accountId, 'notification.password_reset_link');
    const confirmed = await auth.wallet({
      method: 'POST',
      url: '/v1/password-resets/confirm',
      payload: { token: reset, newPassword: strongPassword() },
    });
    expect(confirmed.statusCode).toBe(204);
    const late = await auth.wallet({ method: 'POST', url: '/v1/unlocks', payload: { token: unlock } });
    expect(codeOf(late)).toEqual([401, 'AUTH_INVALID_TOKEN']);

    const byAgent = await auth.register();
    await lock(byAgent.email);
    const link = await latestToken(auth, byAgent.accountId, 'notification.unlock_link');
    expect((await internal(byAgent.accountId, 'unlock')).statusCode).toBe(204);
    const after = await auth.wallet({ method: 'POST', url: '/v1/unlocks', payload: { token: link } });
    expect(codeOf(after)).toEqual([401, 'AUTH_INVALID_TOKEN']);
  });

  it('a reset link dies when the owner changes the password', async () => {
    const { accountId, email, password } = await auth.register();
    await auth.wallet({ method: 'POST', url: '/v1/password-resets', payload: { email } });
    const reset = await latestToken(auth, accountId, 'notification.password_reset_link');
    const { accessToken } = (await auth.signIn(email, password)).json();
    const newPassword = strongPassword();
    const changed = await auth.wallet(
      { method: 'POST', url: '/v1/accounts/me/password', payload: { currentPassword: password, newPassword } },
      accessToken,
    );
    expect(changed.statusCode).toBe(204);
    const late = await auth.wallet({
      method: 'POST',
      url: '/v1/password-resets/confirm',
      payload: { token: reset, newPassword: strongPassword() },
    });
    expect(codeOf(late)).toEqual([401, 'AUTH_INVALID_TOKEN']);
    expect((await auth.signIn(email, newPassword)).statusCode).toBe(200);
  });

  it('an mfa token dies when the password it proved changes, and does not outlive a freeze', async () => {
    const user = await enrolledUser(auth);
    const pending = await mfaTokenFor(auth, user);
    const changed = await auth.wallet(
      {
        method: 'POST',
        url: '/v1/accounts/me/password',
        payload: {
          currentPassword: user.password,
          newPassword: strongPassword(),
          totpCode: nextCode(auth, user.secret),
        },
      },
      user.accessToken,
    );
    expect(changed.statusCode).toBe(204);
    const late = await secondStep(auth, { mfaToken: pending, code: nextCode(auth, user.secret) });
    expect(codeOf(late)).toEqual([401, 'AUTH_INVALID_TOKEN']);

    const other = await enrolledUser(auth);
    const beforeFreeze = await mfaTokenFor(auth, other);
    expect((await internal(other.accountId, 'freeze')).statusCode).toBe(204);
    expect((await internal(other.accountId, 'unfreeze')).statusCode).toBe(204);
    const afterUnfreeze = await secondStep(auth, { mfaToken: beforeFreeze, code: nextCode(auth, other.secret) });
    expect(codeOf(afterUnfreeze)).toEqual([401, 'AUTH_INVALID_TOKEN']);
    const fresh = await mfaTokenFor(auth, other);
    expect((await secondStep(auth, { mfaToken: fresh, code: nextCode(auth, other.secret) })).statusCode).toBe(200);
  });
});
