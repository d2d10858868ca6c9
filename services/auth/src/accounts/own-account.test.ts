import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, startAuth, strongPassword, uniqueEmail } from '../testing/harness';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

const me = (accessToken?: string) => auth.wallet({ method: 'GET', url: '/v1/accounts/me' }, accessToken);

describe('GET /v1/accounts/me', () => {
  it("answers the signed-in user's own account with the locale given at registration", async () => {
    const email = uniqueEmail('mei');
    const password = strongPassword();
    const created = await auth.wallet({
      method: 'POST',
      url: '/v1/accounts',
      payload: { email, password, locale: 'zh-CN', context: {} },
    });
    const { accessToken } = (await auth.signIn(email, password)).json();
    const res = await me(accessToken);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ accountId: created.json().accountId, email, locale: 'zh-CN' });

    const other = await auth.register();
    const theirs = (await auth.signIn(other.email, other.password)).json();
    expect((await me(theirs.accessToken)).json()).toEqual({
      accountId: other.accountId,
      email: other.email,
      locale: 'en',
    });
  });

  it('needs an access token of a session that has not ended', async () => {
    const { email, password } = await auth.register();
    const { accessToken } = (await auth.signIn(email, password)).json();
    expect([(await me()).statusCode, (await me('not-a-token')).statusCode]).toEqual([401, 401]);
    const withoutKey = await auth.server.inject({
      method: 'GET',
      url: '/v1/accounts/me',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(withoutKey.statusCode).toBe(401);
    expect((await auth.wallet({ method: 'DELETE', url: '/v1/sessions/current' }, accessToken)).statusCode).toBe(204);
    const ended = await me(accessToken);
    expect([ended.statusCode, ended.json().error.code]).toEqual([401, 'AUTH_INVALID_ACCESS_TOKEN']);
  });
});
