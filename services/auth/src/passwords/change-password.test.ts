import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, latestToken, startAuth, strongPassword } from '../testing/harness';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

describe('password change', () => {
  const change = (accessToken: string, currentPassword: string, newPassword: string) =>
    auth.wallet(
      { method: 'POST', url: '/v1/accounts/me/password', payload: { currentPassword, newPassword } },
      accessToken,
    );

  it('needs the current password, keeps this session, ends the others, and refuses the last 5 passwords', async () => {
    const { accountId, email, password } = await auth.register();
    const here = (await auth.signIn(email, password)).json();
    const elsewhere = (await auth.signIn(email, password)).json();
    const wrong = await change(here.accessToken, 'not-my-password-at-all', strongPassword());
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([401, 'AUTH_INVALID_CREDENTIALS']);

    const history = [password];
    for (let i = 0; i < 5; i++) {
      const next = strongPassword();
      expect((await change(here.accessToken, history.at(-1) as string, next)).statusCode).toBe(204);
      history.push(next);
    }
    const current = history.at(-1) as string;
    // The last 5 (the current one included) are refused; the 6th-newest is allowed again.
    for (const recent of history.slice(-5)) {
      const res = await change(here.accessToken, current, recent);
      expect(res.json().error.details.reasons.map((r: { reason: string }) => r.reason)).toEqual(['reused']);
    }
    expect((await change(here.accessToken, current, history[0] as string)).statusCode).toBe(204);

    const list = (await auth.wallet({ method: 'GET', url: '/v1/sessions' }, here.accessToken)).json();
    expect(list.items.map((s: { id: string }) => s.id)).toEqual([here.sessionId]);
    expect((await auth.wallet({ method: 'GET', url: '/v1/sessions' }, elsewhere.accessToken)).statusCode).toBe(401);
    expect(await auth.securityEvents(accountId, 'password.changed')).toHaveLength(6);
    expect(await latestToken(auth, accountId, 'notification.password_changed')).toMatch(/^fz_/);
  });

  it('counts wrong current passwords towards the lockout', async () => {
    const { accountId, email, password } = await auth.register();
    const { accessToken } = (await auth.signIn(email, password)).json();
    for (let i = 0; i < 5; i++) await change(accessToken, 'not-my-password-at-all', strongPassword());
    expect(await auth.securityEvents(accountId, 'account.locked')).toHaveLength(1);
    expect((await change(accessToken, password, strongPassword())).statusCode).toBe(401);
  });
});
