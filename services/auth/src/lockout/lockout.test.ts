import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PasswordHasher } from '../passwords/password-hasher';
import { type AuthHarness, latestToken, startAuth, strongPassword, uniqueEmail } from '../testing/harness';

let auth: AuthHarness;
beforeAll(async () => {
  // Room for 50 concurrent attempts in the hashing line.
  auth = await startAuth({ env: { AUTH_HASH_QUEUE_MAX: '100' } });
});
afterAll(() => auth.close());

const WRONG = 'definitely-not-the-password';

async function failTimes(email: string, times: number, context: Record<string, string> = {}) {
  const answers = [];
  for (let i = 0; i < times; i++) answers.push(await auth.signIn(email, WRONG, context));
  return answers;
}

describe('lockout', () => {
  it('locks after 5 failures for 15 minutes: one event, an unlock link, and the same 401 even with the right password', async () => {
    const { accountId, email, password } = await auth.register();
    const failures = await failTimes(email, 5, { ip: '198.51.100.20' });
    expect(new Set(failures.map((r) => `${r.statusCode} ${r.body}`)).size).toBe(1);
    const locked = await auth.signIn(email, password);
    expect([locked.statusCode, locked.body]).toEqual([failures[0]?.statusCode, failures[0]?.body]);

    const [event, ...more] = await auth.securityEvents(accountId, 'account.locked');
    expect(more).toEqual([]);
    expect(event?.payload).toMatchObject({ reason: 'too_many_failures', hard: false, failures: 5, lockCount: 1 });
    expect(event?.payload).toMatchObject({ lastIp: '198.51.100.20' });
    const until = new Date(String((event?.payload as { lockedUntil?: string } | undefined)?.lockedUntil)).getTime();
    expect(Math.abs(until - (auth.clock.now().getTime() + 900_000))).toBeLessThan(10_000);
    const failed = await auth.securityEvents(accountId, 'sign_in.failed');
    expect(failed.map((e) => (e.payload as { reason: string }).reason)).toEqual([
      ...Array(5).fill('wrong_password'),
      'locked',
    ]);
    expect(await latestToken(auth, accountId, 'notification.unlock_link')).toMatch(/^ul_/);

    const view = (await auth.internal({ method: 'GET', url: `/internal/v1/accounts/${accountId}` })).json();
    expect(view).toMatchObject({ locked: true, locks: [{ subject: 'any', locked: true, hard: false }] });

    auth.clock.advance(15 * 60 + 1);
    expect((await auth.signIn(email, password)).statusCode).toBe(200);
  });

  it('doubles the second lock within 24 hours and makes the third a hard lock that only an unlock link lifts', async () => {
    const { accountId, email, password } = await auth.register();
    await failTimes(email, 5);
    auth.clock.advance(16 * 60);
    await failTimes(email, 5);
    auth.clock.advance(31 * 60);
    await failTimes(email, 5);
    const locks = (await auth.securityEvents(accountId, 'account.locked')).map(
      (e) => e.payload as Record<string, unknown>,
    );
    expect(locks.map((l) => [l.lockCount, l.hard])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    const [first, second] = locks.map((l) => (l.lockedUntil === null ? null : new Date(l.lockedUntil as string)));
    expect(first && second && second.getTime() - first.getTime()).toBeGreaterThan(16 * 60_000 + 14 * 60_000);
    expect(locks[2]?.lockedUntil).toBeNull();

    auth.clock.advance(3 * 86_400);
    expect((await auth.signIn(email, password)).statusCode).toBe(401);
    // The link was good for an hour; a reset (or an agent) still lifts a hard lock.
    const expired = await latestToken(auth, accountId, 'notification.unlock_link');
    expect((await auth.wallet({ method: 'POST', url: '/v1/unlocks', payload: { token: expired } })).statusCode).toBe(
      401,
    );
    await auth.wallet({ method: 'POST', url: '/v1/password-resets', payload: { email } });
    const token = await latestToken(auth, accountId, 'notification.password_reset_link');
    const newPassword = strongPassword();
    await auth.wallet({ method: 'POST', url: '/v1/password-resets/confirm', payload: { token, newPassword } });
    expect((await auth.signIn(email, newPassword)).statusCode).toBe(200);
  });

  it('turns 50 concurrent wrong attempts into exactly one lock, one event, and at most 5 password checks', async () => {
    const { accountId, email, password } = await auth.register();
    const { password_hash: stored } = await auth.db.db
      .selectFrom('auth_accounts')
      .select('password_hash')
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
    // Every argon2 verify the attempts make (the dummy one goes through `verify` too), and which
    // hash each was against.
    const verify = vi.spyOn(PasswordHasher.prototype, 'verify');
    let answers: Awaited<ReturnType<AuthHarness['signIn']>>[];
    let hashes: string[];
    try {
      answers = await Promise.all(Array.from({ length: 50 }, () => auth.signIn(email, WRONG)));
      hashes = verify.mock.calls.map(([against]) => against.hash);
    } finally {
      verify.mockRestore();
    }
    // Five checks of the real password; the other 45 pay for a check of the dummy hash instead.
    expect(hashes.filter((h) => h === stored)).toHaveLength(5);
    expect(hashes).toHaveLength(50);
    expect(answers.every((a) => a.statusCode === 401)).toBe(true);
    expect(await auth.securityEvents(accountId, 'account.locked')).toHaveLength(1);
    const reasons = (await auth.securityEvents(accountId, 'sign_in.failed')).map(
      (e) => (e.payload as { reason: string }).reason,
    );
    expect(reasons.filter((r) => r === 'wrong_password')).toHaveLength(5);
    expect(reasons.filter((r) => r === 'locked')).toHaveLength(45);
    expect(await auth.notifications(accountId, 'notification.unlock_link')).toHaveLength(1);

    // The owner follows the link: unlocked at once, and the link works only once.
    const token = await latestToken(auth, accountId, 'notification.unlock_link');
    expect((await auth.wallet({ method: 'POST', url: '/v1/unlocks', payload: { token } })).statusCode).toBe(204);
    const again = await auth.wallet({ method: 'POST', url: '/v1/unlocks', payload: { token } });
    expect([again.statusCode, again.json().error.code]).toEqual([401, 'AUTH_INVALID_TOKEN']);
    expect((await auth.securityEvents(accountId, 'account.unlocked')).map((e) => e.payload)).toMatchObject([
      { by: 'user' },
    ]);
    expect((await auth.signIn(email, password)).statusCode).toBe(200);
  });

  it('never locks the owner out of a device or IP that signed in within 30 days', async () => {
    const { email, password } = await auth.register();
    const phone = { deviceId: 'owner-phone', ip: '203.0.113.50' };
    expect((await auth.signIn(email, password, phone)).statusCode).toBe(200);
    expect((await auth.signIn(email, password, { ip: '203.0.113.51' })).statusCode).toBe(200);
    await failTimes(email, 5, { ip: '192.0.2.66', deviceId: 'stranger' });
    expect((await auth.signIn(email, password, { ip: '192.0.2.66', deviceId: 'stranger' })).statusCode).toBe(401);
    expect((await auth.signIn(email, password)).statusCode).toBe(401);
    expect((await auth.signIn(email, password, phone)).statusCode).toBe(200);
    expect((await auth.signIn(email, password, { ip: '203.0.113.51' })).statusCode).toBe(200);
    // The known device has a counter of its own, and it locks too.
    await failTimes(email, 5, phone);
    expect((await auth.signIn(email, password, phone)).statusCode).toBe(401);
    // Past 30 days a device is a stranger again.
    const { email: other, password: otherPassword } = await auth.register();
    expect((await auth.signIn(other, otherPassword, phone)).statusCode).toBe(200);
    auth.clock.advance(31 * 86_400);
    await failTimes(other, 5);
    expect((await auth.signIn(other, otherPassword, phone)).statusCode).toBe(401);
  });

  it('lets a password reset work while locked; it lifts the lock', async () => {
    const { accountId, email } = await auth.register();
    await failTimes(email, 5);
    const asked = await auth.wallet({ method: 'POST', url: '/v1/password-resets', payload: { email } });
    expect(asked.statusCode).toBe(202);
    const token = await latestToken(auth, accountId, 'notification.password_reset_link');
    const newPassword = strongPassword();
    const reset = await auth.wallet({
      method: 'POST',
      url: '/v1/password-resets/confirm',
      payload: { token, newPassword },
    });
    expect(reset.statusCode).toBe(204);
    expect((await auth.securityEvents(accountId, 'account.unlocked')).map((e) => e.payload)).toMatchObject([
      { by: 'reset' },
    ]);
    expect((await auth.signIn(email, newPassword)).statusCode).toBe(200);
  });

  it('lets an agent (internal scope only) lift a lock for a case', async () => {
    const { accountId, email, password } = await auth.register();
    await failTimes(email, 5);
    const body = { actor: 'agent:grace', caseId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', reason: 'identity verified' };
    const url = `/internal/v1/accounts/${accountId}/unlock`;
    expect((await auth.wallet({ method: 'POST', url, payload: body })).statusCode).toBe(403);
    expect((await auth.internal({ method: 'POST', url, payload: body })).statusCode).toBe(204);
    expect((await auth.securityEvents(accountId, 'account.unlocked')).at(-1)?.payload).toMatchObject({
      by: 'agent',
      actor: 'agent:grace',
      caseId: body.caseId,
    });
    expect((await auth.signIn(email, password)).statusCode).toBe(200);
    const missing = await auth.internal({
      method: 'POST',
      url: '/internal/v1/accounts/00000000-0000-4000-8000-000000000000/unlock',
      payload: body,
    });
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'AUTH_ACCOUNT_NOT_FOUND']);
  });

  it('refuses an unlock token after its hour', async () => {
    const { accountId, email } = await auth.register();
    await failTimes(email, 5);
    const token = await latestToken(auth, accountId, 'notification.unlock_link');
    auth.clock.advance(3601);
    const res = await auth.wallet({ method: 'POST', url: '/v1/unlocks', payload: { token } });
    expect([res.statusCode, res.json().error.code]).toEqual([401, 'AUTH_INVALID_TOKEN']);
  });

  it('throttles an IP after 30 failures a minute across accounts with 429 and Retry-After, for that IP only', async () => {
    const { email, password } = await auth.register();
    const ip = { ip: '192.0.2.200' };
    for (let i = 0; i < 30; i++) {
      const target = i % 2 === 0 ? uniqueEmail('nobody') : (await auth.register()).email;
      expect((await auth.signIn(target, WRONG, ip)).statusCode).toBe(401);
    }
    const throttled = await auth.signIn(email, password, ip);
    expect([throttled.statusCode, throttled.json().error.code]).toEqual([429, 'AUTH_RATE_LIMITED']);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(throttled.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await auth.signIn(email, password, { ip: '192.0.2.201' })).statusCode).toBe(200);
    auth.clock.advance(61);
    // The throttle has lifted, but 30 accounts tried from this IP within the risk policy's stuffing
    // window (services/auth/risk-policy.yaml) make it a credential-stuffing source: the right password
    // is refused there exactly like a wrong one until the window has passed.
    const stuffing = await auth.signIn(email, password, ip);
    expect([stuffing.statusCode, stuffing.json().error.code]).toEqual([401, 'AUTH_INVALID_CREDENTIALS']);
    auth.clock.advance(15 * 60);
    expect((await auth.signIn(email, password, ip)).statusCode).toBe(200);
  });
});
