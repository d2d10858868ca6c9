// While an account is frozen no reset link goes out: whoever froze it may be fighting someone who
// reads the mailbox. The request is still answered like any other and recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, latestToken, startAuth, strongPassword } from '../testing/harness';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

const resetLinks = async (accountId: string) =>
  auth.db.db
    .selectFrom('auth_one_time_tokens')
    .select('used_at')
    .where('account_id', '=', accountId)
    .where('purpose', '=', 'password_reset')
    .execute();

describe('password reset of a frozen account', () => {
  it('sends no link while frozen, by the user or by an agent, and records the request', async () => {
    const byUser = await auth.register();
    const { accessToken } = (await auth.signIn(byUser.email, byUser.password)).json();
    const frozeItself = await auth.wallet(
      { method: 'POST', url: '/v1/accounts/me/freeze', payload: { reason: 'phone stolen' } },
      accessToken,
    );
    expect(frozeItself.statusCode).toBe(204);
    const byAgent = await auth.register();
    const frozen = await auth.internal({
      method: 'POST',
      url: `/internal/v1/accounts/${byAgent.accountId}/freeze`,
      payload: { by: 'agent', actor: 'agent:ada', reason: 'stolen phone' },
    });
    expect(frozen.statusCode).toBe(204);

    for (const account of [byUser, byAgent]) {
      // `auth.wallet` returns once the work after the answer is done: the link would be there.
      const asked = await auth.wallet({
        method: 'POST',
        url: '/v1/password-resets',
        payload: { email: account.email },
      });
      expect(asked.statusCode).toBe(202);
      expect(await auth.notifications(account.accountId, 'notification.password_reset_link')).toEqual([]);
      expect(await resetLinks(account.accountId)).toEqual([]);
      expect(await auth.securityEvents(account.accountId, 'password.reset_requested')).toHaveLength(1);
    }
  });

  it('sends the link again once unfrozen, and a link from before the freeze stays unusable', async () => {
    const account = await auth.register();
    await auth.wallet({ method: 'POST', url: '/v1/password-resets', payload: { email: account.email } });
    const before = await latestToken(auth, account.accountId, 'notification.password_reset_link');
    await auth.internal({
      method: 'POST',
      url: `/internal/v1/accounts/${account.accountId}/freeze`,
      payload: { by: 'agent', actor: 'agent:ada', reason: 'stolen phone' },
    });
    const confirm = (token: string) =>
      auth.wallet({
        method: 'POST',
        url: '/v1/password-resets/confirm',
        payload: { token, newPassword: strongPassword() },
      });
    expect((await confirm(before)).statusCode).toBe(401);
    await auth.wallet({ method: 'POST', url: '/v1/password-resets', payload: { email: account.email } });
    expect(await auth.notifications(account.accountId, 'notification.password_reset_link')).toHaveLength(1);

    const unfrozen = await auth.internal({
      method: 'POST',
      url: `/internal/v1/accounts/${account.accountId}/unfreeze`,
      payload: { actor: 'agent:ada', caseId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', reason: 'owner verified' },
    });
    expect(unfrozen.statusCode).toBe(204);
    await auth.wallet({ method: 'POST', url: '/v1/password-resets', payload: { email: account.email } });
    expect(await auth.notifications(account.accountId, 'notification.password_reset_link')).toHaveLength(2);
    expect(
      (await confirm(await latestToken(auth, account.accountId, 'notification.password_reset_link'))).statusCode,
    ).toBe(204);
  });
});
