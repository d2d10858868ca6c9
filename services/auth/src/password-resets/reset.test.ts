import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, latestToken, startAuth, strongPassword, uniqueEmail } from '../testing/harness';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

const askReset = (email: string) => auth.wallet({ method: 'POST', url: '/v1/password-resets', payload: { email } });
const confirm = (token: string, newPassword: string) =>
  auth.wallet({ method: 'POST', url: '/v1/password-resets/confirm', payload: { token, newPassword } });

describe('password reset', () => {
  it('answers 202 with the same body whether or not the account exists, and only mails a real one', async () => {
    const { accountId, email } = await auth.register();
    const known = await askReset(email);
    const unknown = await askReset(uniqueEmail('ghost'));
    expect([known.statusCode, known.body]).toEqual([unknown.statusCode, unknown.body]);
    expect(known.statusCode).toBe(202);
    expect(await auth.securityEvents(accountId, 'password.reset_requested')).toHaveLength(1);
    expect(await latestToken(auth, accountId, 'notification.password_reset_link')).toMatch(/^rs_/);
  });

  it('sets the new password once per token, ends every session, and a newer link voids the older one', async () => {
    const { accountId, email, password } = await auth.register();
    const session = (await auth.signIn(email, password)).json();
    await askReset(email);
    const older = await latestToken(auth, accountId, 'notification.password_reset_link');
    await askReset(email);
    const token = await latestToken(auth, accountId, 'notification.password_reset_link');
    expect((await confirm(older, strongPassword())).statusCode).toBe(401);

    const weak = await confirm(token, 'password');
    expect([weak.statusCode, weak.json().error.code]).toEqual([422, 'AUTH_PASSWORD_POLICY']);
    // A refused password leaves the link usable; the old password is refused as reused.
    const reused = await confirm(token, password);
    expect(reused.json().error.details.reasons.map((r: { reason: string }) => r.reason)).toEqual(['reused']);
    const newPassword = strongPassword();
    expect((await confirm(token, newPassword)).statusCode).toBe(204);
    expect((await confirm(token, strongPassword())).statusCode).toBe(401);

    expect((await auth.signIn(email, password)).statusCode).toBe(401);
    expect((await auth.signIn(email, newPassword)).statusCode).toBe(200);
    const refreshed = await auth.wallet({
      method: 'POST',
      url: '/v1/sessions/refresh',
      payload: { refreshToken: session.refreshToken },
    });
    expect(refreshed.statusCode).toBe(401);
    expect(await auth.securityEvents(accountId, 'password.reset')).toHaveLength(1);
    expect(await auth.notifications(accountId, 'notification.password_changed')).toHaveLength(1);
  });

  it('sends at most 5 reset links an hour per account, even to concurrent requests; every request is still 202 and recorded', async () => {
    const { accountId, email } = await auth.register();
    const answers = await Promise.all(Array.from({ length: 8 }, () => askReset(email)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(202));
    await auth.background.settled();
    expect(await auth.notifications(accountId, 'notification.password_reset_link')).toHaveLength(5);
    expect(await auth.securityEvents(accountId, 'password.reset_requested')).toHaveLength(8);
    const before = await latestToken(auth, accountId, 'notification.password_reset_link');
    // A capped request sends nothing and leaves the last link working.
    await askReset(email);
    await auth.background.settled();
    expect(await latestToken(auth, accountId, 'notification.password_reset_link')).toBe(before);
    // The hour rolls on: a link again.
    auth.clock.advance(3_601);
    await askReset(email);
    await auth.background.settled();
    expect(await auth.notifications(accountId, 'notification.password_reset_link')).toHaveLength(6);
    expect(
      (await confirm(await latestToken(auth, accountId, 'notification.password_reset_link'), strongPassword()))
        .statusCode,
    ).toBe(204);
  });

  it('refuses a reset token after 30 minutes', async () => {
    const { accountId, email } = await auth.register();
    await askReset(email);
    const token = await latestToken(auth, accountId, 'notification.password_reset_link');
    auth.clock.advance(30 * 60 + 1);
    expect((await confirm(token, strongPassword())).json().error.code).toBe('AUTH_INVALID_TOKEN');
  });
});
