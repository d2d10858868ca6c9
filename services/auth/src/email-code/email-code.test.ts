import { createHash } from 'node:crypto';
import type { ClientContext } from '@wallet-guard/contracts';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccount } from '../accounts/accounts-store';
import { emailKey, normaliseEmail } from '../accounts/email';
import type { AuthContext } from '../auth-context';
import type { CounterKey } from '../lockout/lockout-store';
import { type Account, type AuthHarness, startAuth, strongPassword } from '../testing/harness';
import { enrolledUser, nextCode } from '../testing/two-factor';

let auth: AuthHarness;
let ctx: AuthContext;
beforeAll(async () => {
  auth = await startAuth();
  ctx = auth.ctx;
});
afterAll(() => auth.close());

const counterOf = (email: string): CounterKey => ({ emailKey: emailKey(normaliseEmail(email)), subject: 'any' });

/**
 * What the risk check does for a stepped-up sign-in of an account without a factor (R1 calls it
 * from `signIn`): the e-mailed code's second step, driven here through the provider directly.
 */
async function emailChallenge(
  user: Account,
  options: { restriction?: 'password_change'; context?: ClientContext } = {},
): Promise<{ mfaToken: string; code: string; methods: string[] }> {
  const account = await findAccount(ctx.db, user.accountId);
  if (!account) throw new Error('no account');
  const { mfaToken, methods } = await ctx.secondFactor.challenge({
    account,
    context: options.context ?? { ip: '198.51.100.40', country: 'SG' },
    counter: counterOf(user.email),
    emailCode: true,
    restriction: options.restriction,
  });
  const sent = (await auth.notifications(user.accountId, 'notification.sign_in_code')).at(-1);
  const code = (sent?.payload as { code?: string } | undefined)?.code;
  if (!code) throw new Error('no sign_in_code notification');
  return { mfaToken, code, methods };
}

const mfa = (payload: Record<string, unknown>) => auth.wallet({ method: 'POST', url: '/v1/sessions/mfa', payload });
const introspect = async (token: string) =>
  (await auth.wallet({ method: 'POST', url: '/v1/tokens/introspect', payload: { token } })).json();
const codeOf = (res: { statusCode: number; json(): { error?: { code: string } } }) => [
  res.statusCode,
  res.json().error?.code,
];
const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const failures = async (email: string) =>
  (
    await auth.db.db
      .selectFrom('auth_lockouts')
      .select('failures')
      .where('email_key', '=', counterOf(email).emailKey)
      .where('subject', '=', 'any')
      .executeTakeFirst()
  )?.failures ?? 0;

describe('the e-mailed sign-in code (an account without any factor, stepped up)', () => {
  it('e-mails 6 digits through the outbox and starts an aal 1 session with amr [pwd, email]', async () => {
    const user = await auth.register();
    const before = auth.clock.now().getTime();
    const { mfaToken, code, methods } = await emailChallenge(user);
    expect(methods).toEqual(['email_code']);
    expect(code).toMatch(/^\d{6}$/);
    const [sent] = await auth.notifications(user.accountId, 'notification.sign_in_code');
    expect(sent?.payload).toMatchObject({
      email: user.email,
      locale: 'en',
      context: { ip: '198.51.100.40', country: 'SG' },
    });
    const payload = sent?.payload as { expiresAt: string; freezeToken: string };
    // AUTH_EMAIL_CODE_TTL_SECONDS (600) from now.
    expect(Date.parse(payload.expiresAt) - before).toBeGreaterThanOrEqual(600_000 - 1000);
    expect(Date.parse(payload.expiresAt) - before).toBeLessThanOrEqual(600_000 + 5000);
    expect(payload.freezeToken).toMatch(/^fz_/);

    // Hashed at rest, and not with a plain hash one could search in a moment: keyed with the token.
    const row = await auth.db.db
      .selectFrom('auth_mfa_challenges')
      .select(['email_code_hash', 'expires_at', 'restriction'])
      .where('account_id', '=', user.accountId)
      .executeTakeFirstOrThrow();
    expect(row.email_code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.email_code_hash).not.toContain(code);
    expect(row.email_code_hash).not.toBe(createHash('sha256').update(code).digest('hex'));
    expect(row.restriction).toBeNull();
    expect(row.expires_at.getTime() - before).toBeGreaterThan(300_000);

    const res = await mfa({ mfaToken, emailCode: code, context: { deviceId: 'phone-1' } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken', 'sessionId']);
    expect(await introspect(body.accessToken)).toMatchObject({
      active: true,
      sub: user.accountId,
      amr: ['pwd', 'email'],
      aal: 1,
      acr: 'urn:wallet-guard:acr:aal1',
    });
    const succeeded = (await auth.securityEvents(user.accountId, 'sign_in.succeeded')).at(-1)?.payload;
    expect(succeeded).toMatchObject({ amr: ['pwd', 'email'], context: { ip: '198.51.100.40', deviceId: 'phone-1' } });
    // Single use: neither the step nor the code starts a second session.
    expect(codeOf(await mfa({ mfaToken, emailCode: code }))).toEqual([401, 'AUTH_INVALID_TOKEN']);
    const used = await auth.db.db
      .selectFrom('auth_mfa_challenges')
      .select('email_code_hash')
      .where('account_id', '=', user.accountId)
      .executeTakeFirstOrThrow();
    expect(used.email_code_hash).toBeNull();
    expect(auth.logs.text).not.toContain(code);
  });

  it('counts wrong codes on the password lockout counter and dies after AUTH_MFA_TOKEN_MAX_ATTEMPTS tries', async () => {
    const user = await auth.register();
    const { mfaToken, code } = await emailChallenge(user);
    for (let i = 1; i <= 4; i++) {
      expect(codeOf(await mfa({ mfaToken, emailCode: otherCode(code) }))).toEqual([401, 'AUTH_SECOND_FACTOR_INVALID']);
      expect(await failures(user.email)).toBe(i);
    }
    const failed = (await auth.securityEvents(user.accountId, 'sign_in.failed')).map((e) => e.payload);
    expect(failed).toHaveLength(4);
    expect(failed.every((p) => (p as { reason: string }).reason === 'wrong_second_factor')).toBe(true);
    // The fifth try is the last one the step has; the right code after it finds the step spent.
    expect(codeOf(await mfa({ mfaToken, emailCode: otherCode(code) }))[0]).toBe(401);
    expect(codeOf(await mfa({ mfaToken, emailCode: code }))).toEqual([401, 'AUTH_INVALID_TOKEN']);
  });

  it('works for AUTH_EMAIL_CODE_TTL_SECONDS (longer than an ordinary mfaToken), not after', async () => {
    const user = await auth.register();
    const late = await emailChallenge(user);
    const inTime = await emailChallenge(user);
    auth.clock.advance(590);
    try {
      const ok = await mfa({ mfaToken: inTime.mfaToken, emailCode: inTime.code });
      expect(ok.statusCode).toBe(200);
      auth.clock.advance(15);
      expect(codeOf(await mfa({ mfaToken: late.mfaToken, emailCode: late.code }))).toEqual([401, 'AUTH_INVALID_TOKEN']);
    } finally {
      auth.clock.advance(-605);
    }
  });

  it("takes only its own step's code: not another step's, not for a TOTP step, and no TOTP code for it", async () => {
    const user = await auth.register();
    const first = await emailChallenge(user);
    const second = await emailChallenge(user);
    // One chance in a million that both steps drew the same code: then there is nothing to tell apart.
    if (first.code !== second.code) {
      expect(codeOf(await mfa({ mfaToken: second.mfaToken, emailCode: first.code }))).toEqual([
        401,
        'AUTH_SECOND_FACTOR_INVALID',
      ]);
    }
    expect(codeOf(await mfa({ mfaToken: second.mfaToken, code: second.code }))).toEqual([
      401,
      'AUTH_SECOND_FACTOR_INVALID',
    ]);
    // An account with TOTP: its ordinary second step refuses an e-mail code (none was sent for it).
    const enrolled = await enrolledUser(auth);
    const totpStep = await auth.signIn(enrolled.email, enrolled.password);
    expect(codeOf(await mfa({ mfaToken: totpStep.json().mfaToken, emailCode: '123456' }))).toEqual([
      401,
      'AUTH_SECOND_FACTOR_INVALID',
    ]);
    expect((await mfa({ mfaToken: totpStep.json().mfaToken, code: nextCode(auth, enrolled.secret) })).statusCode).toBe(
      200,
    );
  });

  it('of concurrent requests with the right code, exactly one starts a session', async () => {
    const user = await auth.register();
    const { mfaToken, code } = await emailChallenge(user);
    const answers = await Promise.all(Array.from({ length: 4 }, () => mfa({ mfaToken, emailCode: code })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 401, 401, 401]);
  });

  it('refuses a malformed code or two proofs at once with 400, using no try', async () => {
    const user = await auth.register();
    const { mfaToken, code } = await emailChallenge(user);
    const malformed = [
      { mfaToken, emailCode: '12345' },
      { mfaToken, emailCode: '12345a' },
      { mfaToken, emailCode: code, code },
    ];
    // Six refusals, more than the step's 5 tries: none of them took one.
    for (const body of [...malformed, ...malformed]) expect(codeOf(await mfa(body))[0]).toBe(400);
    expect((await mfa({ mfaToken, emailCode: code })).statusCode).toBe(200);
  });
});

describe('the restricted session of a leaked password', () => {
  const decoded = (token: string) => decodeJwt(token) as { rst?: string };
  const userRoutes = (token: string) => ({
    sessions: () => auth.wallet({ method: 'GET', url: '/v1/sessions' }, token),
    me: () => auth.wallet({ method: 'GET', url: '/v1/accounts/me' }, token),
    totp: () => auth.wallet({ method: 'POST', url: '/v1/accounts/me/totp', payload: { context: {} } }, token),
    passkeys: () => auth.wallet({ method: 'GET', url: '/v1/accounts/me/passkeys' }, token),
    freeze: () => auth.wallet({ method: 'POST', url: '/v1/accounts/me/freeze', payload: { context: {} } }, token),
    stepUpOptions: (purpose: string) =>
      auth.wallet({ method: 'POST', url: '/v1/passkeys/step-up-options', payload: { purpose } }, token),
  });

  it('carries rst through the e-mailed step, answers 403 everywhere but password change, sign-out and GET me, and a password change lifts it', async () => {
    const user = await auth.register();
    const { mfaToken, code } = await emailChallenge(user, { restriction: 'password_change' });
    const res = await mfa({ mfaToken, emailCode: code });
    expect(res.statusCode).toBe(200);
    const pair = res.json();
    expect(pair.restriction).toBe('password_change');
    expect(decoded(pair.accessToken).rst).toBe('password_change');
    expect(await introspect(pair.accessToken)).toMatchObject({ active: true, rst: 'password_change' });

    const routes = userRoutes(pair.accessToken);
    for (const call of [
      routes.sessions,
      routes.totp,
      routes.passkeys,
      routes.freeze,
      () => routes.stepUpOptions('disable'),
    ]) {
      expect(codeOf(await call())).toEqual([403, 'AUTH_PASSWORD_CHANGE_REQUIRED']);
    }
    expect((await routes.me()).statusCode).toBe(200);
    // Passkey options for the password change itself are not refused (this account has none: 404).
    expect(codeOf(await routes.stepUpOptions('password_change'))).toEqual([404, 'AUTH_PASSKEY_NOT_FOUND']);

    // A refresh keeps the restriction.
    const refreshed = await auth.wallet({
      method: 'POST',
      url: '/v1/sessions/refresh',
      payload: { refreshToken: pair.refreshToken, context: {} },
    });
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.json().restriction).toBe('password_change');
    expect(decoded(refreshed.json().accessToken).rst).toBe('password_change');
    expect(codeOf(await userRoutes(refreshed.json().accessToken).sessions())).toEqual([
      403,
      'AUTH_PASSWORD_CHANGE_REQUIRED',
    ]);

    const newPassword = strongPassword();
    const changed = await auth.wallet(
      {
        method: 'POST',
        url: '/v1/accounts/me/password',
        payload: { currentPassword: user.password, newPassword, context: {} },
      },
      refreshed.json().accessToken,
    );
    expect(changed.statusCode).toBe(204);
    // Lifted in place: the same session answers at once, even to the token that still says rst...
    const after = userRoutes(refreshed.json().accessToken);
    const sessions = await after.sessions();
    expect(sessions.statusCode).toBe(200);
    expect(sessions.json().items.map((s: { id: string }) => s.id)).toContain(pair.sessionId);
    expect(await introspect(refreshed.json().accessToken)).not.toHaveProperty('rst');
    // ...and the next refresh drops the claim.
    const next = await auth.wallet({
      method: 'POST',
      url: '/v1/sessions/refresh',
      payload: { refreshToken: refreshed.json().refreshToken, context: {} },
    });
    expect(next.statusCode).toBe(200);
    expect(next.json()).not.toHaveProperty('restriction');
    expect(decoded(next.json().accessToken).rst).toBeUndefined();
    expect(next.json().sessionId).toBe(pair.sessionId);
  });

  it('comes out of POST /v1/sessions for a password on the blocklist (the risk check in sign-in)', async () => {
    const user = await auth.register();
    // Set before the list had it: registration would refuse it now.
    const stored = await ctx.hasher.hash('1qaz2wsx3edc');
    await auth.db.db
      .updateTable('auth_accounts')
      .set({ password_hash: stored.hash, pepper_id: stored.pepperId })
      .where('id', '=', user.accountId)
      .execute();
    const res = await auth.signIn(user.email, '1qaz2wsx3edc');
    expect(res.statusCode).toBe(200);
    const pair = res.json();
    expect(pair.restriction).toBe('password_change');
    expect(decoded(pair.accessToken).rst).toBe('password_change');
    const routes = userRoutes(pair.accessToken);
    expect(codeOf(await routes.sessions())).toEqual([403, 'AUTH_PASSWORD_CHANGE_REQUIRED']);
    const changed = await auth.wallet(
      {
        method: 'POST',
        url: '/v1/accounts/me/password',
        payload: { currentPassword: '1qaz2wsx3edc', newPassword: strongPassword(), context: {} },
      },
      pair.accessToken,
    );
    expect(changed.statusCode).toBe(204);
    expect((await routes.sessions()).statusCode).toBe(200);
  });

  it('lets a restricted session sign out', async () => {
    const user = await auth.register();
    const { mfaToken, code } = await emailChallenge(user, { restriction: 'password_change' });
    const pair = (await mfa({ mfaToken, emailCode: code })).json();
    const out = await auth.wallet({ method: 'DELETE', url: '/v1/sessions/current' }, pair.accessToken);
    expect(out.statusCode).toBe(204);
    expect(await introspect(pair.accessToken)).toEqual({ active: false });
  });

  it('restricts a session started without a second step (completeSignIn) and one through TOTP at aal 2', async () => {
    const { completeSignIn } = await import('../sessions/sign-in');
    const user = await auth.register();
    const account = await findAccount(ctx.db, user.accountId);
    if (!account) throw new Error('no account');
    const direct = await completeSignIn(ctx, {
      account,
      context: {},
      amr: ['pwd'],
      aal: 1,
      counter: counterOf(user.email),
      restriction: 'password_change',
    });
    expect(direct.restriction).toBe('password_change');
    expect(codeOf(await userRoutes(direct.accessToken).sessions())).toEqual([403, 'AUTH_PASSWORD_CHANGE_REQUIRED']);

    const enrolled = await enrolledUser(auth);
    const enrolledAccount = await findAccount(ctx.db, enrolled.accountId);
    if (!enrolledAccount) throw new Error('no account');
    const { mfaToken, methods } = await ctx.secondFactor.challenge({
      account: enrolledAccount,
      context: {},
      counter: counterOf(enrolled.email),
      restriction: 'password_change',
    });
    expect(methods).toEqual(['totp', 'recovery']);
    const totp = await mfa({ mfaToken, code: nextCode(auth, enrolled.secret) });
    expect(totp.statusCode).toBe(200);
    expect(totp.json().restriction).toBe('password_change');
    expect(await introspect(totp.json().accessToken)).toMatchObject({
      aal: 2,
      amr: ['pwd', 'otp'],
      rst: 'password_change',
    });
    expect(codeOf(await userRoutes(totp.json().accessToken).totp())).toEqual([403, 'AUTH_PASSWORD_CHANGE_REQUIRED']);
  });
});
