import { authConfigSchema, parseConfig } from '@wallet-guard/config';
import { testEnv } from '@wallet-guard/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthServer } from '../server';
import { type AuthHarness, FAST_ARGON2, latestToken, startAuth, uniqueEmail, WALLET_KEY } from '../testing/harness';
import { enrolledUser, nextCode, wrongCode } from '../testing/two-factor';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

/** Another auth server over the same database and infrastructure, with other settings. */
async function sibling(env: Record<string, string>): Promise<FastifyInstance> {
  const config = parseConfig(authConfigSchema, testEnv(auth.db, undefined, { ...FAST_ARGON2, ...env }));
  return createAuthServer(config, auth.infra);
}

const signInOn = (server: FastifyInstance, email: string, password: string) =>
  server.inject({
    method: 'POST',
    url: '/v1/sessions',
    headers: { 'x-api-key': WALLET_KEY },
    payload: { email, password },
  });

const storedHash = async (accountId: string) =>
  auth.db.db
    .selectFrom('auth_accounts')
    .select(['password_hash', 'pepper_id'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();

describe('sign-in', () => {
  it('answers tokens, records sign_in.succeeded, and asks "was this you?" from a new device or IP only', async () => {
    const { accountId, email, password } = await auth.register({ context: { deviceId: 'phone', ip: '203.0.113.1' } });
    const known = await auth.signIn(` ${email.toUpperCase()} `, password, { deviceId: 'phone', ip: '203.0.113.1' });
    expect(known.statusCode).toBe(200);
    expect(Object.keys(known.json()).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken', 'sessionId']);
    expect((await auth.signIn(email, password, { deviceId: 'laptop', ip: '203.0.113.1' })).statusCode).toBe(200);
    const succeeded = (await auth.securityEvents(accountId, 'sign_in.succeeded')).map((e) => e.payload);
    expect(succeeded).toMatchObject([
      { newDevice: false, newIp: false, amr: ['pwd'], context: { deviceId: 'phone' } },
      { newDevice: true, newIp: false, context: { deviceId: 'laptop' } },
    ]);
    const [notice, ...more] = await auth.notifications(accountId, 'notification.new_sign_in');
    expect(more).toEqual([]);
    expect(notice?.payload).toMatchObject({ email, locale: 'en', context: { deviceId: 'laptop' } });
    expect(await latestToken(auth, accountId, 'notification.new_sign_in')).toMatch(/^fz_/);
    const view = (await auth.internal({ method: 'GET', url: `/internal/v1/accounts/${accountId}` })).json();
    expect(view.lastLoginAt).not.toBeNull();
    expect(view.activeSessions).toBe(2);
  });

  it('gives unknown email, wrong password, locked and frozen accounts one identical 401', async () => {
    const wrong = await auth.register();
    const locked = await auth.register();
    const frozen = await auth.register();
    for (let i = 0; i < 5; i++) await auth.signIn(locked.email, 'not-the-password-at-all');
    await auth.internal({
      method: 'POST',
      url: `/internal/v1/accounts/${frozen.accountId}/freeze`,
      payload: { actor: 'agent:x' },
    });
    const answers = [
      await auth.signIn(uniqueEmail('ghost'), wrong.password),
      await auth.signIn(wrong.email, `${wrong.password}x`),
      await auth.signIn(locked.email, locked.password),
      await auth.signIn(frozen.email, frozen.password),
    ];
    for (const answer of answers) {
      expect(answer.statusCode).toBe(401);
      expect(answer.json()).toEqual({
        error: { code: 'AUTH_INVALID_CREDENTIALS', message: answers[0]?.json().error.message },
      });
      expect(Object.keys(answer.headers).sort()).toEqual(Object.keys(answers[0]?.headers ?? {}).sort());
    }
    expect((await auth.securityEvents(frozen.accountId, 'sign_in.failed')).map((e) => e.payload)).toMatchObject([
      { reason: 'frozen' },
    ]);
  });

  it('rehashes at sign-in when the configured argon2 parameters changed', async () => {
    const { accountId, email, password } = await auth.register();
    expect((await storedHash(accountId)).password_hash).toMatch(/^\$argon2id\$v=19\$m=4096,p=1,t=1\$/);
    const stronger = await sibling({ AUTH_ARGON2_MEMORY_KIB: '8192', AUTH_ARGON2_TIME_COST: '2' });
    try {
      expect((await signInOn(stronger, email, password)).statusCode).toBe(200);
      expect((await storedHash(accountId)).password_hash).toMatch(/^\$argon2id\$v=19\$m=8192,p=1,t=2\$/);
      expect((await signInOn(stronger, email, password)).statusCode).toBe(200);
      // The old server still verifies the new hash (parameters travel in the PHC string).
      expect((await auth.signIn(email, password)).statusCode).toBe(200);
    } finally {
      await stronger.close();
    }
  });

  it('mixes in a pepper and moves each account to the newest pepper at its next sign-in', async () => {
    const { accountId, email, password } = await auth.register();
    const k1 = Buffer.alloc(32, 1).toString('base64');
    const k2 = Buffer.alloc(32, 2).toString('base64');
    const first = await sibling({ AUTH_PASSWORD_PEPPERS: `k1:${k1}` });
    const rotated = await sibling({ AUTH_PASSWORD_PEPPERS: `k2:${k2},k1:${k1}` });
    const lost = await sibling({ AUTH_PASSWORD_PEPPERS: `k3:${k2}` });
    try {
      expect((await signInOn(first, email, password)).statusCode).toBe(200);
      expect((await storedHash(accountId)).pepper_id).toBe('k1');
      expect((await signInOn(rotated, email, password)).statusCode).toBe(200);
      expect((await storedHash(accountId)).pepper_id).toBe('k2');
      // Without its pepper key a hash cannot be verified: the database alone is not enough.
      expect((await signInOn(lost, email, password)).statusCode).toBe(401);
    } finally {
      await Promise.all([first.close(), rotated.close(), lost.close()]);
    }
  });

  it('answers bad input with a 400 and a stable code, never a 500', async () => {
    const cases = [
      { payload: {} },
      { payload: { email: 'a@example.com' } },
      { payload: { email: 'a@example.com', password: 'x'.repeat(2000) } },
      { payload: { email: 'a@example.com', password: 'long-enough-pw', context: { ip: 'not-an-ip' } } },
      { payload: '{"email": ', headers: { 'content-type': 'application/json' } },
    ];
    for (const c of cases) {
      const res = await auth.wallet({ method: 'POST', url: '/v1/sessions', ...c });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toMatch(/^AUTH_(VALIDATION_FAILED|INVALID_JSON)$/);
    }
  });
});

describe('a full hashing line', () => {
  let slow: AuthHarness;
  beforeAll(async () => {
    slow = await startAuth({
      env: {
        AUTH_ARGON2_MEMORY_KIB: '19456',
        AUTH_ARGON2_TIME_COST: '4',
        AUTH_HASH_CONCURRENCY: '1',
        AUTH_HASH_QUEUE_MAX: '1',
      },
    });
  });
  afterAll(() => slow.close());

  it('refuses the excess at once with 503 AUTH_BUSY and Retry-After while refresh keeps working', async () => {
    const { email, password } = await slow.register();
    const session = (await slow.signIn(email, password)).json();
    const flood = Promise.all(Array.from({ length: 12 }, () => slow.signIn(email, password)));
    const refreshed = await slow.wallet({
      method: 'POST',
      url: '/v1/sessions/refresh',
      payload: { refreshToken: session.refreshToken },
    });
    expect(refreshed.statusCode).toBe(200);
    const answers = await flood;
    const busy = answers.filter((a) => a.statusCode === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(answers.every((a) => a.statusCode === 503 || a.statusCode === 200)).toBe(true);
    for (const b of busy) {
      expect(b.json().error.code).toBe('AUTH_BUSY');
      expect(b.headers['retry-after']).toBe('1');
    }
    // Refused attempts were never counted as failures: the account is not locked.
    expect((await slow.signIn(email, password)).statusCode).toBe(200);
  });
});

describe('with two-factor on (the sign-in side; two-factor/ tests the rest)', () => {
  it('answers {mfaRequired, mfaToken, methods} after a right password and starts no session yet', async () => {
    const user = await enrolledUser(auth);
    const res = await auth.signIn(user.email, user.password);
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json()).sort()).toEqual(['methods', 'mfaRequired', 'mfaToken']);
    expect(res.json().methods).toEqual(['totp', 'recovery']);
    expect(res.json().mfaToken).toMatch(/^mf_/);
    expect(await auth.securityEvents(user.accountId, 'sign_in.succeeded')).toHaveLength(1);
    const view = (await auth.internal({ method: 'GET', url: `/internal/v1/accounts/${user.accountId}` })).json();
    expect([view.twoFactorEnabled, view.activeSessions]).toEqual([true, 1]);
  });

  it('a wrong password is the usual 401 whether or not two-factor is on', async () => {
    const user = await enrolledUser(auth);
    const res = await auth.signIn(user.email, `${user.password}x`);
    expect([res.statusCode, res.json().error.code]).toEqual([401, 'AUTH_INVALID_CREDENTIALS']);
  });

  it('needs a code to unlock; wrong codes count towards the lockout like wrong passwords', async () => {
    const user = await enrolledUser(auth);
    const { accountId, email, password, secret } = user;
    for (let i = 0; i < 5; i++) await auth.signIn(email, 'not-the-password-at-all');
    const token = await latestToken(auth, accountId, 'notification.unlock_link');
    const unlock = (extra: object) => auth.wallet({ method: 'POST', url: '/v1/unlocks', payload: { token, ...extra } });
    const noCode = await unlock({});
    expect([noCode.statusCode, noCode.json().error.code]).toEqual([401, 'AUTH_SECOND_FACTOR_INVALID']);
    expect((await unlock({ totpCode: wrongCode(secret, auth.clock.now()) })).statusCode).toBe(401);
    expect((await unlock({ totpCode: nextCode(auth, secret) })).statusCode).toBe(204);
    expect((await auth.signIn(email, password)).json().mfaRequired).toBe(true);

    await auth.wallet({ method: 'POST', url: '/v1/password-resets', payload: { email } });
    const reset = await latestToken(auth, accountId, 'notification.password_reset_link');
    // The right code above started the step-up counter afresh: five wrong codes lock it.
    for (let i = 0; i < 5; i++) {
      const res = await auth.wallet({
        method: 'POST',
        url: '/v1/password-resets/confirm',
        payload: {
          token: reset,
          newPassword: 'Quill-unused-Kx81-harbour',
          totpCode: wrongCode(secret, auth.clock.now()),
        },
      });
      expect(res.statusCode).toBe(401);
    }
    const locks = (await auth.securityEvents(accountId, 'account.locked')).map((e) => e.payload);
    expect(locks.at(-1)).toMatchObject({ reason: 'too_many_second_factor_failures' });
  });
});
