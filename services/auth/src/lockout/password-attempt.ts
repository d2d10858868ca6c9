import { randomUUID } from 'node:crypto';
import type { ClientContext } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { commitThenDeliver, type OutboxMessage } from '@wallet-guard/messaging';
import type { Transaction } from 'kysely';
import type { Account, SourceHistory } from '../accounts/accounts-store';
import type { AuthContext } from '../auth-context';
import { notification, publishInSavepoint, securityEvent } from '../security-events/publish';
import { issueOneTimeToken } from '../tokens/one-time-tokens';
import { ipClient, recordIpFailure } from './ip-throttle';
import { admission, type CounterState, counterSubject, type Lock, locksOnFailure, nextLock } from './lockout-policy';
import {
  type CounterKey,
  incrementFailures,
  lockCounter,
  lockStateForUpdate,
  recordLastFailureIp,
} from './lockout-store';

/** Who is trying: the counter's email key, the account when the email exists, and the request context. */
export interface AttemptTarget {
  emailKey: string;
  account: Account | undefined;
  sources: SourceHistory | undefined;
  context: ClientContext;
}

/** `wrong_passkey`: a passkey answer that did not verify (signature, origin, counter...) for a known account. */
export type FailureReason = 'wrong_password' | 'wrong_second_factor' | 'wrong_passkey' | 'locked' | 'frozen';

export type Verdict =
  | {
      outcome: 'accepted';
      key: CounterKey;
      account: Account;
      /**
       * The number this attempt took towards the next lock (see `admission`): a right password that
       * is refused all the same (a risk `deny`) locks when `locksOnFailure(position)` says so.
       */
      position: number;
    }
  | { outcome: 'rejected'; reason: FailureReason; key: CounterKey; failures: number; locks: boolean };

function counterKey(ctx: AuthContext, target: AttemptTarget, now: Date): CounterKey {
  return {
    emailKey: target.emailKey,
    subject: counterSubject(target.sources, target.context, now, ctx.config.lockout),
  };
}

/**
 * Checks a password under the lockout rules. Every path costs one argon2 verify: the account's
 * hash, or the dummy hash when the email is unknown or the counter refuses the attempt, so the
 * answer's timing says nothing about which. The attempt takes its place in the hashing line
 * first (a full line is refused before any database work), then `load`s its target and is
 * counted while it waits, before it verifies.
 */
export async function checkPassword(
  ctx: AuthContext,
  load: () => Promise<AttemptTarget>,
  password: string,
): Promise<{ target: AttemptTarget; verdict: Verdict }> {
  const now = ctx.clock();
  const { hasher, config } = ctx;
  return ctx.hashing.withTurn(
    async () => {
      const target = await load();
      const key = counterKey(ctx, target, now);
      return { target, key, state: await incrementFailures(ctx.db, key, now, config.lockout) };
    },
    async ({ target, key, state }) => ({ target, verdict: await verdictFor(target, key, state) }),
  );

  async function verdictFor(target: AttemptTarget, key: CounterKey, state: CounterState): Promise<Verdict> {
    const admitted = admission(state, now, config.lockout);
    const account = target.account;
    const matches =
      admitted.kind === 'verify' && account
        ? await hasher.verify(account.password, password)
        : await hasher.verifyDummy(password).then(() => false);
    if (account?.status === 'frozen')
      return { outcome: 'rejected', reason: 'frozen', key, failures: state.failures, locks: false };
    if (admitted.kind === 'refused') {
      return { outcome: 'rejected', reason: 'locked', key, failures: admitted.failures, locks: false };
    }
    if (matches && account && admitted.kind === 'verify') {
      return { outcome: 'accepted', key, account, position: admitted.position };
    }
    return {
      outcome: 'rejected',
      reason: 'wrong_password',
      key,
      failures: admitted.position,
      locks: locksOnFailure(admitted.position, config.lockout),
    };
  }
}

/**
 * Locks `key` for the one failure that reached the threshold (or, under `nist`, the cap on
 * consecutive failures), inside `trx`, and returns the lock with the messages announcing it:
 * `account.locked`, and the owner's unlock link, which under `psd2` is the
 * `notification.lockout_final_warning` e-mail when this is the last lock before a permanent one
 * (RTS on SCA Art. 4(4)). Both go to the account's own address, never to whoever is trying. For an
 * unknown email (`account` undefined) the counter is locked all the same and there is nothing to
 * announce.
 */
export async function lockAfterFailure(
  ctx: AuthContext,
  trx: Transaction<Database>,
  input: {
    account: Account | undefined;
    key: CounterKey;
    reason: 'too_many_failures' | 'too_many_second_factor_failures';
    failures: number;
    context: ClientContext;
    now: Date;
  },
): Promise<{ lock: Lock; messages: OutboxMessage[] }> {
  const { account, key, context, now } = input;
  const { recentLocks, run } = await lockStateForUpdate(trx, key);
  const lock = nextLock(recentLocks, now, ctx.config.lockout, run);
  await lockCounter(trx, key, lock, now);
  if (!account) return { lock, messages: [] };
  ctx.logger.warn(
    { accountId: account.id, subject: key.subject, hard: lock.hard, finalWarning: lock.finalWarning },
    'account locked',
  );
  const unlock = await issueOneTimeToken(trx, 'unlock', account.id, now, ctx.config.tokens.unlockTtlSeconds);
  const link = { token: unlock.token, expiresAt: unlock.expiresAt.toISOString() };
  return {
    lock,
    messages: [
      securityEvent('account.locked', account.id, {
        reason: input.reason,
        lockedUntil: lock.lockedUntil?.toISOString() ?? null,
        hard: lock.hard,
        failures: input.failures,
        lockCount: lock.lockCount,
        lastIp: context.ip ?? null,
        context,
      }),
      lock.finalWarning && lock.lockedUntil
        ? notification('notification.lockout_final_warning', account, {
            ...link,
            lockedUntil: lock.lockedUntil.toISOString(),
            failures: input.failures,
          })
        : notification('notification.unlock_link', account, link),
    ],
  };
}

/**
 * Records a rejected attempt in one transaction: the IP's failure count, the `sign_in.failed`
 * event, and, for the one attempt that reached the threshold, the lock with its `account.locked`
 * event and the owner's unlock link (`lockAfterFailure`). Unknown emails make the same writes:
 * their `sign_in.failed` event, about a stand-in account id, is written and then taken back
 * (`publishInSavepoint`), so the answer's timing does not tell an unknown email from a wrong password.
 */
export async function recordFailure(
  ctx: AuthContext,
  target: AttemptTarget,
  verdict: Extract<Verdict, { outcome: 'rejected' }>,
): Promise<void> {
  const now = ctx.clock();
  const { account, context } = target;
  await commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
    await recordLastFailureIp(trx, verdict.key, context.ip ?? null, now, account !== undefined);
    if (context.ip) await recordIpFailure(trx, ipClient(context.ip, ctx.config.lockout), now);
    const messages: OutboxMessage[] = [
      securityEvent('sign_in.failed', account?.id ?? randomUUID(), {
        reason: verdict.reason,
        failures: verdict.failures,
        context,
      }),
    ];
    if (verdict.locks) {
      const locked = await lockAfterFailure(ctx, trx, {
        account,
        key: verdict.key,
        reason: verdict.reason === 'wrong_second_factor' ? 'too_many_second_factor_failures' : 'too_many_failures',
        failures: verdict.failures,
        context,
        now,
      });
      messages.push(...locked.messages);
    }
    // Kept for an account; written and taken back for an unknown email, so both cost the same.
    await publishInSavepoint(trx, messages, { keep: account !== undefined });
  });
}
