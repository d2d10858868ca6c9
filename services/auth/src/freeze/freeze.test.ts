import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, latestToken, startAuth } from '../testing/harness';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

async function twoSessions() {
  const account = await auth.register();
  const a = (await auth.signIn(account.email, account.password, { deviceId: 'phone' })).json();
  const b = (await auth.signIn(account.email, account.password, { deviceId: 'laptop' })).json();
  return { ...account, a, b };
}

async function expectAllRevoked(sessions: { accessToken: string; refreshToken: string }[]) {
  for (const s of sessions) {
    const introspected = await auth.wallet({
      method: 'POST',
      url: '/v1/tokens/introspect',
      payload: { token: s.accessToken },
    });
    expect(introspected.json()).toEqual({ active: false });
    const refreshed = await auth.wallet({
      method: 'POST',
      url: '/v1/sessions/refresh',
      payload: { refreshToken: s.refreshToken },
    });
    expect(refreshed.statusCode).toBe(401);
  }
}

describe('freeze', () => {
  it('by the signed-in user: revokes every session and refresh token, blocks sign-in, records and notifies', async () => {
    const { accountId, email, password, a, b } = await twoSessions();
    const res = await auth.wallet(
      { method: 'POST', url: '/v1/accounts/me/freeze', payload: { reason: 'phone stolen' } },
      a.accessToken,
    );
    expect(res.statusCode).toBe(204);
    await expectAllRevoked([a, b]);
    expect((await auth.signIn(email, password)).statusCode).toBe(401);
    expect((await auth.securityEvents(accountId, 'account.frozen')).map((e) => e.payload)).toMatchObject([
      { by: 'user', reason: 'phone stolen' },
    ]);
    expect(await auth.notifications(accountId, 'notification.account_frozen')).toHaveLength(1);
    const view = (await auth.internal({ method: 'GET', url: `/internal/v1/accounts/${accountId}` })).json();
    expect(view).toMatchObject({ status: 'frozen', frozen: { by: 'user', reason: 'phone stolen' }, activeSessions: 0 });
  });

  it('with the freeze token of a "was this you?" notification, once', async () => {
    const { accountId, a, b } = await twoSessions();
    const token = await latestToken(auth, accountId, 'notification.new_sign_in');
    expect((await auth.wallet({ method: 'POST', url: '/v1/freezes', payload: { token } })).statusCode).toBe(204);
    await expectAllRevoked([a, b]);
    const again = await auth.wallet({ method: 'POST', url: '/v1/freezes', payload: { token } });
    expect([again.statusCode, again.json().error.code]).toEqual([401, 'AUTH_INVALID_TOKEN']);
    expect(await auth.securityEvents(accountId, 'account.frozen')).toHaveLength(1);
  });

  it('refuses a freeze token after its 7 days', async () => {
    const { accountId } = await twoSessions();
    const token = await latestToken(auth, accountId, 'notification.new_sign_in');
    auth.clock.advance(7 * 86_400 + 1);
    const res = await auth.wallet({ method: 'POST', url: '/v1/freezes', payload: { token } });
    expect([res.statusCode, res.json().error.code]).toEqual([401, 'AUTH_INVALID_TOKEN']);
    expect(await auth.securityEvents(accountId, 'account.frozen')).toEqual([]);
  });

  it('voids pending reset links, and only an agent with the internal scope unfreezes', async () => {
    const { accountId, email, password, a } = await twoSessions();
    await auth.wallet({ method: 'POST', url: '/v1/password-resets', payload: { email } });
    const reset = await latestToken(auth, accountId, 'notification.password_reset_link');
    const body = { actor: 'agent:grace', caseId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', reason: 'theft report' };
    const freeze = await auth.internal({
      method: 'POST',
      url: `/internal/v1/accounts/${accountId}/freeze`,
      payload: body,
    });
    expect(freeze.statusCode).toBe(204);
    expect((await auth.securityEvents(accountId, 'account.frozen')).at(-1)?.payload).toMatchObject({
      by: 'agent',
      actor: 'agent:grace',
      caseId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
    });
    await expectAllRevoked([a]);
    const confirm = await auth.wallet({
      method: 'POST',
      url: '/v1/password-resets/confirm',
      payload: { token: reset, newPassword: 'Quill-after-freeze-Zx9' },
    });
    expect(confirm.statusCode).toBe(401);

    const url = `/internal/v1/accounts/${accountId}/unfreeze`;
    expect((await auth.wallet({ method: 'POST', url, payload: body })).statusCode).toBe(403);
    expect((await auth.signIn(email, password)).statusCode).toBe(401);
    expect((await auth.internal({ method: 'POST', url, payload: body })).statusCode).toBe(204);
    expect((await auth.securityEvents(accountId, 'account.unfrozen')).map((e) => e.payload)).toMatchObject([
      { actor: 'agent:grace', caseId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f' },
    ]);
    expect((await auth.signIn(email, password)).statusCode).toBe(200);
  });
});
