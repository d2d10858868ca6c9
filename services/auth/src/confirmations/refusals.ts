import type { ClientContext } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { OutboxMessage } from '@wallet-guard/messaging';
import type { Transaction } from 'kysely';
import type { Account } from '../accounts/accounts-store';
import type { AuthContext } from '../auth-context';
import { admission, locksOnFailure } from '../lockout/lockout-policy';
import { type CounterKey, incrementFailures } from '../lockout/lockout-store';
import { lockAfterFailure } from '../lockout/password-attempt';

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
  const { messages } = await lockAfterFailure(ctx, trx, {
    account,
    key: counter,
    reason: 'too_many_second_factor_failures',
    failures: admitted.position,
    context,
    now,
  });
  return { refusals: admitted.position, messages };
}
