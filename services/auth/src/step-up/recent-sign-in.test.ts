// Kind 4: a bare access token (stolen, or of a session signed in long ago) must not be enough to
// add or remove an authenticator or recovery codes, or to change the password: every such route
// needs the current password or a sign-in within AUTH_RECENT_SIGN_IN_SECONDS, and each change
// tells the owner with a freeze link. The route table below is checked against the OpenAPI
// document, so a new state-changing user route must be classified here before it ships.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, latestToken, startAuth, strongPassword } from '../testing/harness';
import { base32Decode, enrolledUser, nextCode } from '../testing/two-factor';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

/** Past the recent-sign-in window, well inside the access token's lifetime (600 s). */
const STALE_SECONDS = 301;

/** User routes that change something, and what each needs beyond the access token. */
const NEEDS_PROOF = [
  'POST /v1/accounts/me/totp',
  'POST /v1/accounts/me/recovery-codes',
  'DELETE /v1/accounts/me/totp',
  'POST /v1/accounts/me/password',
  'POST /v1/accounts/me/passkeys/registration-options',
  // Only the last strong factor needs it (passkeys/registration.test.ts); the description says so.
  'DELETE /v1/accounts/me/passkeys/{id}',
];
/**
 * User routes that change something a thief gains nothing from (they end access, finish an
 * enrolment or registration a proof started, or rename).
 */
const BARE_TOKEN_ENOUGH = [
  'POST /v1/accounts/me/totp/confirm',
  'POST /v1/accounts/me/freeze',
  'DELETE /v1/sessions/current',
  'DELETE /v1/sessions/{id}',
  'POST /v1/sessions/revoke-all',
  'POST /v1/accounts/me/passkeys',
  // A name only the owner sees.
  'PATCH /v1/accounts/me/passkeys/{id}',
  // Payment confirmation: opening one only asks the owner, who approves with a passkey or a code in
  // the approve call's own body (that proof is checked and counted there); options start that
  // ceremony; refusing says no (and counts as a failure); the token only carries an approval given.
  'POST /v1/confirmations',
  'POST /v1/confirmations/{id}/passkey-options',
  'POST /v1/confirmations/{id}/approve',
  'POST /v1/confirmations/{id}/refuse',
  'POST /v1/confirmations/{id}/token',
];

interface Operation {
  security?: Record<string, unknown>[];
  description?: string;
  requestBody?: { content?: { 'application/json'?: { schema?: { required?: string[] } } } };
}

const codeOf = (res: { statusCode: number; json(): { error?: { code: string } } }) => [
  res.statusCode,
  res.json().error?.code,
];

async function staleSession() {
  const account = await auth.register();
  const { accessToken } = (await auth.signIn(account.email, account.password)).json();
  auth.clock.advance(STALE_SECONDS);
  return { ...account, accessToken };
}

describe('changes that need proof beyond the access token', () => {
  it('classifies every state-changing user route, and each one that needs proof documents it', async () => {
    const spec = (await auth.server.inject({ url: '/docs/json' })).json();
    const changing: string[] = [];
    for (const [path, methods] of Object.entries(spec.paths as Record<string, Record<string, Operation>>)) {
      for (const [method, operation] of Object.entries(methods)) {
        const bearer = (operation.security ?? []).some((r: Record<string, unknown>) => 'bearer' in r);
        if (bearer && method !== 'get') changing.push(`${method.toUpperCase()} ${path}`);
        if (NEEDS_PROOF.includes(`${method.toUpperCase()} ${path}`)) {
          const body = operation.requestBody?.content?.['application/json']?.schema ?? {};
          const passwordRequired = ['password', 'currentPassword'].some((p) => body.required?.includes(p));
          expect([
            path,
            passwordRequired || /AUTH_REAUTHENTICATION_REQUIRED/.test(operation.description ?? ''),
          ]).toEqual([path, true]);
        }
      }
    }
    expect(changing.sort()).toEqual([...NEEDS_PROOF, ...BARE_TOKEN_ENOUGH].sort());
  });

  it('refuses TOTP enrolment on a bare token whose sign-in is old; the password or a fresh sign-in allows it', async () => {
    const user = await staleSession();
    const enrol = (payload?: object) =>
      auth.wallet({ method: 'POST', url: '/v1/accounts/me/totp', ...(payload ? { payload } : {}) }, user.accessToken);
    const bare = await enrol();
    expect(codeOf(bare)).toEqual([401, 'AUTH_REAUTHENTICATION_REQUIRED']);
    expect(bare.headers['www-authenticate']).toContain('insufficient_user_authentication');
    expect(codeOf(await enrol({}))).toEqual([401, 'AUTH_REAUTHENTICATION_REQUIRED']);
    const pending = await auth.db.db.selectFrom('auth_totp').selectAll().where('account_id', '=', user.accountId);
    expect(await pending.execute()).toEqual([]);
    expect(codeOf(await enrol({ password: 'not-the-password-at-all' }))).toEqual([401, 'AUTH_INVALID_CREDENTIALS']);
    expect(await auth.securityEvents(user.accountId, 'sign_in.failed')).toHaveLength(1);

    // A refresh is no sign-in: its new access token is just as stale.
    const signedIn = (await auth.signIn(user.email, user.password)).json();
    auth.clock.advance(STALE_SECONDS);
    const refreshed = await auth.wallet({
      method: 'POST',
      url: '/v1/sessions/refresh',
      payload: { refreshToken: signedIn.refreshToken },
    });
    const enrolWith = (token: string, payload?: object) =>
      auth.wallet({ method: 'POST', url: '/v1/accounts/me/totp', ...(payload ? { payload } : {}) }, token);
    expect(codeOf(await enrolWith(refreshed.json().accessToken))).toEqual([401, 'AUTH_REAUTHENTICATION_REQUIRED']);

    const withPassword = await enrolWith(refreshed.json().accessToken, { password: user.password });
    expect(withPassword.statusCode).toBe(201);
    const fresh = (await auth.signIn(user.email, user.password)).json();
    const started = await enrolWith(fresh.accessToken);
    expect(started.statusCode).toBe(201);
    const confirmed = await auth.wallet(
      {
        method: 'POST',
        url: '/v1/accounts/me/totp/confirm',
        payload: { code: nextCode(auth, base32Decode(started.json().secret)) },
      },
      fresh.accessToken,
    );
    expect(confirmed.statusCode).toBe(200);
    const [notice] = await auth.notifications(user.accountId, 'notification.two_factor_changed');
    expect(notice?.payload).toMatchObject({ change: 'enabled', freezeToken: expect.stringMatching(/^fz_/) });
  });

  it('refuses new recovery codes on a bare token whose sign-in is old, even with a right code', async () => {
    const user = await enrolledUser(auth);
    auth.clock.advance(STALE_SECONDS);
    const regenerate = (payload: object) =>
      auth.wallet({ method: 'POST', url: '/v1/accounts/me/recovery-codes', payload }, user.accessToken);
    expect(codeOf(await regenerate({ code: nextCode(auth, user.secret) }))).toEqual([
      401,
      'AUTH_REAUTHENTICATION_REQUIRED',
    ]);
    expect(await auth.securityEvents(user.accountId, 'recovery_codes.regenerated')).toEqual([]);
    const res = await regenerate({ password: user.password, code: nextCode(auth, user.secret) });
    expect(res.statusCode).toBe(200);
    expect(res.json().recoveryCodes).toHaveLength(10);
    const notices = await auth.notifications(user.accountId, 'notification.two_factor_changed');
    expect(notices.map((n) => (n.payload as { change: string }).change)).toEqual([
      'enabled',
      'recovery_codes_regenerated',
    ]);
    expect(await latestToken(auth, user.accountId, 'notification.two_factor_changed')).toMatch(/^fz_/);
  });

  it('refuses turning two-factor off and changing the password on a bare token, and tells the owner of each change', async () => {
    const user = await enrolledUser(auth);
    auth.clock.advance(STALE_SECONDS);
    const off = await auth.wallet(
      { method: 'DELETE', url: '/v1/accounts/me/totp', payload: { code: nextCode(auth, user.secret) } },
      user.accessToken,
    );
    expect(codeOf(off)).toEqual([400, 'AUTH_VALIDATION_FAILED']);
    const newPassword = strongPassword();
    const change = (payload: object) =>
      auth.wallet({ method: 'POST', url: '/v1/accounts/me/password', payload }, user.accessToken);
    expect(codeOf(await change({ newPassword, totpCode: nextCode(auth, user.secret) }))).toEqual([
      400,
      'AUTH_VALIDATION_FAILED',
    ]);
    const changed = await change({
      currentPassword: user.password,
      newPassword,
      totpCode: nextCode(auth, user.secret),
    });
    expect(changed.statusCode).toBe(204);
    expect(await latestToken(auth, user.accountId, 'notification.password_changed')).toMatch(/^fz_/);
  });
});
