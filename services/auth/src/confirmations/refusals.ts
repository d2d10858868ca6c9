import type { ClientContext } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { OutboxMessage } from '@wallet-guard/messaging';
import type { Transaction } from 'kysely';
import type { Account } from '../accounts/accounts-store';
import type { AuthContext } from '../auth-context';
import { admission, locksOnFailure, nextLock } from '../lockout/lockout-policy';
import { type CounterKey, incrementFailures, lockCounter, lockHistoryForUpdate } from '../lockout/lockout-store';
import { notification, securityEvent } from '../security-events/publish';
import { issueOneTimeToken } from '../tokens/one-time-tokens';

/**
 * Counts a refused payment confirmation as a failure on `counter` (the account's step-up counter,
 * where wrong authenticator codes count), inside the refusal's transaction. A refusal means "this
 * payment is not mine": someone holding a session is pushing payments at the owner. The refusal
 * that reaches the lockout threshold locks that counter as a wrong code would (approvals with a
 * code and every other step-up wait for the lock to end; MFA-fatigue approvals cannot follow a
 * run of refusals), with `account.locked` and the owner's unlock link. A refusal while the
 * counter is locked is still recorded, and locks nothing more. Returns the failures in the
 * window (this one included) and the messages to publish with the refusal.
 */
export async function countRefusal(
  ctx: AuthContext,
  trx: Transaction<Database>,
  account: Account,
  counter: CounterKey,
  context: ClientContext,
  now: Date,
): Promise<{ refusals: number; messages: OutboxMessage[] }> {
  const settings = ctx.config.lockout;
  const state = await incrementFailures(trx, counter, now, settings);
  const admitted = admission(state, now, settings);
  if (admitted.kind !== 'verify' || !locksOnFailure(admitted.position, settings)) {
    return { refusals: state.failures, messages: [] };
  }
  const lock = nextLock(await lockHistoryForUpdate(trx, counter), now, settings);
  await lockCounter(trx, counter, lock, now);
  ctx.logger.warn({ accountId: account.id, subject: counter.subject, hard: lock.hard }, 'account locked');
  const unlock = await issueOneTimeToken(trx, 'unlock', account.id, now, ctx.config.tokens.unlockTtlSeconds);
  return {
    refusals: admitted.position,
    messages: [
      securityEvent('account.locked', account.id, {
        reason: 'too_many_second_factor_failures',
        lockedUntil: lock.lockedUntil?.toISOString() ?? null,
        hard: lock.hard,
        failures: admitted.position,
        lockCount: lock.lockCount,
        lastIp: context.ip ?? null,
        context,
      }),
      notification('notification.unlock_link', account, {
        token: unlock.token,
        expiresAt: unlock.expiresAt.toISOString(),
      }),
    ],
  };
}
