// GET /v1/accounts/me/security-events: the signed-in user's own history, newest first, paged with `before`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, startAuth } from '../testing/harness';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

const mine = (accessToken: string | undefined, query = '') =>
  auth.wallet({ method: 'GET', url: `/v1/accounts/me/security-events${query}` }, accessToken);

describe('GET /v1/accounts/me/security-events', () => {
  it("answers only the signed-in user's events, newest first, and pages on with before", async () => {
    const user = await auth.register();
    const other = await auth.register();
    expect((await auth.signIn(user.email, 'not-the-password-at-all')).statusCode).toBe(401);
    expect((await auth.signIn(other.email, 'not-the-password-at-all')).statusCode).toBe(401);
    const { accessToken } = (await auth.signIn(user.email, user.password)).json();

    const all = await mine(accessToken);
    expect(all.statusCode).toBe(200);
    expect(all.json().items.map((e: { type: string }) => e.type)).toEqual([
      'sign_in.succeeded',
      'sign_in.failed',
      'account.created',
    ]);
    expect(all.json().items.every((e: { accountId: string }) => e.accountId === user.accountId)).toBe(true);
    expect(all.json().nextBefore).toBeNull();

    const first = (await mine(accessToken, '?limit=2')).json();
    expect(first.items.map((e: { type: string }) => e.type)).toEqual(['sign_in.succeeded', 'sign_in.failed']);
    const rest = (await mine(accessToken, `?limit=2&before=${first.nextBefore}`)).json();
    expect([rest.items.map((e: { type: string }) => e.type), rest.nextBefore]).toEqual([['account.created'], null]);
  });

  it('needs an access token', async () => {
    const none = await mine(undefined);
    expect([none.statusCode, none.json().error.code]).toEqual([401, 'AUTH_INVALID_ACCESS_TOKEN']);
    expect((await mine('not-a-token')).statusCode).toBe(401);
  });

  it('refuses a cursor that is not one', async () => {
    const user = await auth.register();
    const { accessToken } = (await auth.signIn(user.email, user.password)).json();
    expect((await mine(accessToken, '?before=abc')).statusCode).toBe(400);
  });
});
