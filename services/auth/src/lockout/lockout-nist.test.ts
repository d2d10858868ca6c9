import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { emailKey, normaliseEmail } from '../accounts/email';
import { pruneAuthTables } from '../housekeeping';
import { PasswordHasher } from '../passwords/password-hasher';
import { type AuthHarness, startAuth, uniqueEmail } from '../testing/harness';

// AUTH_LOCKOUT_PROFILE=nist (the default): NIST SP 800-63B §5.2.2, at most 100 consecutive failed
// attempts on an account, whatever their pace, before it is locked for good.
let bound: AuthHarness;
let defaults: AuthHarness;
beforeAll(async () => {
  // The widest policy nist allows: 10 failures a lock, the tenth lock hard (10 × 10 = 100). Room for
  // 40 concurrent attempts in the hashing line.
  [bound, defaults] = await Promise.all([
    startAuth({
      env: {
        AUTH_LOCKOUT_PROFILE: 'nist',
        AUTH_LOCKOUT_THRESHOLD: '10',
        AUTH_LOCKOUT_HARD_AFTER: '10',
        AUTH_HASH_QUEUE_MAX: '100',
      },
    }),
    startAuth(),
  ]);
});
afterAll(() => Promise.all([bound?.close(), defaults?.close()]));

const WRONG = 'definitely-not-the-password';
const WINDOW_SECONDS = 900;

async function storedHash(auth: AuthHarness, accountId: string): Promise<string> {
  const row = await auth.db.db
    .selectFrom('auth_accounts')
    .select('password_hash')
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  return row.password_hash;
}

/** `rounds` windows of `perWindow` wrong passwords, each window left to run out: a guesser too slow to lock. */
async function slowGuesses(auth: AuthHarness, email: string, rounds: number, perWindow: number) {
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < perWindow; i++) expect((await auth.signIn(email, WRONG)).statusCode).toBe(401);
    auth.clock.advance(WINDOW_SECONDS + 1);
  }
}

const lockEvents = async (auth: AuthHarness, accountId: string) =>
  (await auth.securityEvents(accountId, 'account.locked')).map((e) => e.payload as Record<string, unknown>);

describe('lockout profile nist', () => {
  it('checks at most 100 passwords in a row however slowly they come, then locks hard; concurrent attempts change nothing', async () => {
    const { accountId, email, password } = await bound.register();
    const stored = await storedHash(bound, accountId);
    const verify = vi.spyOn(PasswordHasher.prototype, 'verify');
    let checked: number;
    let burst: Awaited<ReturnType<AuthHarness['signIn']>>[];
    try {
      // 11 windows of 9: never the 10 that lock a window, 99 failures in a row.
      await slowGuesses(bound, email, 11, 9);
      expect(await lockEvents(bound, accountId)).toEqual([]);
      // 40 at once: only the 100th failure in a row is checked, and it locks.
      burst = await Promise.all(Array.from({ length: 40 }, () => bound.signIn(email, WRONG)));
      expect(burst.every((r) => r.statusCode === 401)).toBe(true);
      checked = verify.mock.calls.filter(([against]) => against.hash === stored).length;
    } finally {
      verify.mockRestore();
    }
    expect(checked).toBe(100);
    const locks = await lockEvents(bound, accountId);
    expect(locks).toHaveLength(1);
    expect(locks[0]).toMatchObject({ hard: true, lockedUntil: null, lockCount: 1, reason: 'too_many_failures' });
    const reasons = (await bound.securityEvents(accountId, 'sign_in.failed')).map(
      (e) => (e.payload as { reason: string }).reason,
    );
    expect(reasons.filter((r) => r === 'wrong_password')).toHaveLength(100);
    expect(reasons.filter((r) => r === 'locked')).toHaveLength(39);
    expect(await bound.notifications(accountId, 'notification.unlock_link')).toHaveLength(1);
    // Hard: the right password is refused now and long after a first lock's 15 minutes, with the same
    // answer as a wrong one.
    const refused = await bound.signIn(email, password);
    expect([refused.statusCode, refused.body]).toEqual([burst[0]?.statusCode, burst[0]?.body]);
    bound.clock.advance(50 * 60);
    expect((await bound.signIn(email, password)).statusCode).toBe(401);
    // The owner's unlock link (good for an hour) ends the run.
    const token = (await bound.notifications(accountId, 'notification.unlock_link')).at(-1)?.payload as {
      token: string;
    };
    expect(
      (await bound.wallet({ method: 'POST', url: '/v1/unlocks', payload: { token: token.token } })).statusCode,
    ).toBe(204);
    expect((await bound.signIn(email, password)).statusCode).toBe(200);
  });

  it('a right password ends the run; without one the 15th failure in a row locks hard (5 × 3, the default policy)', async () => {
    const { accountId, email, password } = await defaults.register();
    expect(defaults.config.lockout).toMatchObject({ profile: 'nist', maxConsecutiveFailures: 15 });
    await slowGuesses(defaults, email, 3, 4);
    expect((await defaults.signIn(email, password)).statusCode).toBe(200);
    await slowGuesses(defaults, email, 3, 4);
    expect(await lockEvents(defaults, accountId)).toEqual([]);
    for (let i = 0; i < 3; i++) await defaults.signIn(email, WRONG);
    const [lock, ...more] = await lockEvents(defaults, accountId);
    expect(more).toEqual([]);
    expect(lock).toMatchObject({ hard: true, lockCount: 1, failures: 5 });
    expect((await defaults.signIn(email, password)).statusCode).toBe(401);
  });

  it("keeps an account's unfinished run through housekeeping; an unknown email's counter is pruned as before", async () => {
    const { email } = await defaults.register();
    const nobody = uniqueEmail('nobody');
    for (let i = 0; i < 4; i++) {
      await defaults.signIn(email, WRONG);
      await defaults.signIn(nobody, WRONG);
    }
    defaults.clock.advance(3 * 86_400);
    await pruneAuthTables(defaults.ctx);
    const runOf = async (address: string) =>
      (await defaults.db.db
        .selectFrom('auth_lockouts')
        .select(['consecutive_failures', 'account_known'])
        .where('email_key', '=', emailKey(normaliseEmail(address)))
        .executeTakeFirst()) ?? null;
    expect(await runOf(email)).toEqual({ consecutive_failures: 4, account_known: true });
    expect(await runOf(nobody)).toBeNull();
  });
});
