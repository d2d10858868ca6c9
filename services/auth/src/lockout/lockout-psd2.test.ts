import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, startAuth, uniqueEmail } from '../testing/harness';

// AUTH_LOCKOUT_PROFILE=psd2: Commission Delegated Regulation (EU) 2018/389 (RTS on SCA), Art. 4(3)(b)
// at most five failed attempts in a row before a block; Art. 4(4) the payer is alerted before the
// block is made permanent; Art. 4(5) a secure procedure to regain use (the unlock link).
let auth: AuthHarness;
beforeAll(async () => {
  // Room for 50 concurrent attempts in the hashing line; the per-IP throttle (its own tests) out of the way.
  auth = await startAuth({
    env: { AUTH_LOCKOUT_PROFILE: 'psd2', AUTH_HASH_QUEUE_MAX: '100', AUTH_IP_FAILURES_PER_MINUTE: '1000' },
  });
});
afterAll(() => auth.close());

const WRONG = 'definitely-not-the-password';
const ATTACKER = { ip: '192.0.2.77' };
const answer = (r: LightMyRequestResponse) => `${r.statusCode} ${r.body}`;

async function failTimes(email: string, times: number): Promise<string[]> {
  const answers: string[] = [];
  for (let i = 0; i < times; i++) answers.push(answer(await auth.signIn(email, WRONG, ATTACKER)));
  return answers;
}

const locks = async (accountId: string) =>
  (await auth.securityEvents(accountId, 'account.locked')).map((e) => e.payload as Record<string, unknown>);
const warnings = (accountId: string) => auth.notifications(accountId, 'notification.lockout_final_warning');
const unlockLinks = (accountId: string) => auth.notifications(accountId, 'notification.unlock_link');
function tokenOf(event: { payload: unknown } | undefined): string {
  const token = (event?.payload as { token?: string } | undefined)?.token;
  if (!token) throw new Error('no token in the notification');
  return token;
}

/**
 * The attacker's run against `email`: 5 wrong, the right password while blocked, then after the
 * block 50 wrong at once (the lock before the permanent one), then after that block 5 wrong (the
 * permanent lock). Returns every answer the attacker saw.
 */
async function attackerRun(email: string, password: string): Promise<string[]> {
  const seen = await failTimes(email, 5);
  seen.push(answer(await auth.signIn(email, password, ATTACKER)));
  auth.clock.advance(15 * 60 + 1);
  const burst = await Promise.all(Array.from({ length: 50 }, () => auth.signIn(email, WRONG, ATTACKER)));
  seen.push(...burst.map(answer));
  auth.clock.advance(30 * 60 + 1);
  seen.push(...(await failTimes(email, 5)));
  return seen;
}

describe('lockout profile psd2', () => {
  it('blocks after exactly 5 failures in a row: the 4th still lets the right password in, after the 5th it does not', async () => {
    expect(auth.config.lockout).toMatchObject({ profile: 'psd2', threshold: 5, warnBeforeHardLock: true });
    const { accountId, email, password } = await auth.register();
    await failTimes(email, 4);
    expect(await locks(accountId)).toEqual([]);
    // The owner, from elsewhere: a right password ends the run.
    expect((await auth.signIn(email, password)).statusCode).toBe(200);

    await failTimes(email, 4);
    expect(await locks(accountId)).toEqual([]);
    await failTimes(email, 1);
    expect(await locks(accountId)).toMatchObject([{ hard: false, failures: 5, lockCount: 1 }]);
    expect((await auth.signIn(email, password, ATTACKER)).statusCode).toBe(401);
  });

  it('warns the owner by e-mail exactly once, with the lock before the permanent one; the attacker sees one 401 throughout, as for an unknown email', async () => {
    const owner = await auth.register();
    const seenOnNobody = await attackerRun(uniqueEmail('nobody'), owner.password);
    const seenOnAccount = await attackerRun(owner.email, owner.password);

    // Three locks: temporary, temporary with the warning (once, though 50 attempts raced for it), permanent.
    expect((await locks(owner.accountId)).map((l) => [l.lockCount, l.hard])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    const [warning, ...more] = await warnings(owner.accountId);
    expect(more).toEqual([]);
    // To the account's own address and language; when the block ends, the failures that led to it, an unlock token.
    const lockEvents = await auth.securityEvents(owner.accountId, 'account.locked');
    expect(warning?.payload).toMatchObject({
      email: owner.email,
      locale: 'en',
      failures: 5,
      lockedUntil: (lockEvents[1]?.payload as { lockedUntil?: string } | undefined)?.lockedUntil,
    });
    expect(tokenOf(warning)).toMatch(/^ul_/);
    // Before the permanent lock, which (and the first lock) came with a plain unlock link.
    expect(Date.parse(String(warning?.occurredAt))).toBeLessThan(Date.parse(String(lockEvents[2]?.occurredAt)));
    expect(await unlockLinks(owner.accountId)).toHaveLength(2);

    // The person trying learns nothing: one answer for everything, the same for an account that does not exist.
    expect(new Set(seenOnAccount)).toEqual(new Set(seenOnNobody));
    expect(new Set(seenOnAccount).size).toBe(1);
    expect(seenOnAccount[0]).toMatch(/^401 .*AUTH_INVALID_CREDENTIALS/);
    expect(seenOnAccount[0]).not.toMatch(/lock|block|warn/i);

    // Permanent: the right password is still refused; the unlock link (Art. 4(5), good for an hour) lifts it.
    auth.clock.advance(50 * 60);
    expect((await auth.signIn(owner.email, owner.password, ATTACKER)).statusCode).toBe(401);
    const unlock = tokenOf((await unlockLinks(owner.accountId)).at(-1));
    expect((await auth.wallet({ method: 'POST', url: '/v1/unlocks', payload: { token: unlock } })).statusCode).toBe(
      204,
    );
    expect((await auth.signIn(owner.email, owner.password)).statusCode).toBe(200);
  });

  it("the warning's link unlocks at once; after an unlock the owner is warned again before the next permanent lock", async () => {
    const { accountId, email, password } = await auth.register();
    await failTimes(email, 5);
    auth.clock.advance(15 * 60 + 1);
    await failTimes(email, 5);
    const warning = (await warnings(accountId)).at(-1);
    expect(
      (await auth.wallet({ method: 'POST', url: '/v1/unlocks', payload: { token: tokenOf(warning) } })).statusCode,
    ).toBe(204);
    // The owner signs in from elsewhere (the attacker's source keeps sharing the account's counter).
    expect((await auth.signIn(email, password)).statusCode).toBe(200);

    // Two more locks within the escalation window: the third would be permanent, but the unlock cleared
    // the warning, so it is a warned temporary lock and only the next is permanent.
    await failTimes(email, 5);
    expect((await locks(accountId)).at(-1)).toMatchObject({ lockCount: 3, hard: false });
    expect(await warnings(accountId)).toHaveLength(2);
    auth.clock.advance(60 * 60 + 1);
    await failTimes(email, 5);
    expect((await locks(accountId)).at(-1)).toMatchObject({ lockCount: 4, hard: true });
    expect(await warnings(accountId)).toHaveLength(2);
  });
});
