import type { AuthContext } from './auth-context';
import { expireAbandonedConfirmations } from './confirmations/confirmations';
import { pruneIpFailures } from './lockout/ip-throttle';
import { deleteIdleCounters } from './lockout/lockout-store';
import { pruneCeremonies } from './passkeys/ceremonies-store';
import { pruneRiskTables } from './risk/risk-store';
import { pruneMfaChallenges } from './two-factor/mfa-challenges';
import { dropStalePending } from './two-factor/totp-store';

const DAY = 86_400_000;

/**
 * Deletes what no rule can read any more: failure counters idle past every window (hard locks
 * stay), IP windows, single-use, refresh and mfa tokens and passkey ceremonies a day past their expiry, and two-factor
 * enrolments never confirmed in time, and the risk check's stuffing attempts and theft suspicions
 * past their windows. Idempotent.
 */
export async function pruneAuthTables(ctx: AuthContext): Promise<void> {
  const now = ctx.clock().getTime();
  const { lockout } = ctx.config;
  const counterHorizon = Math.max(lockout.windowSeconds, lockout.escalationSeconds, lockout.maxLockSeconds) * 1000;
  await deleteIdleCounters(ctx.db, new Date(now - counterHorizon - DAY));
  await pruneIpFailures(ctx.db, new Date(now - DAY));
  await ctx.db
    .deleteFrom('auth_one_time_tokens')
    .where('expires_at', '<', new Date(now - DAY))
    .execute();
  await ctx.db
    .deleteFrom('auth_refresh_tokens')
    .where('expires_at', '<', new Date(now - DAY))
    .execute();
  await pruneMfaChallenges(ctx.db, new Date(now - DAY));
  await pruneCeremonies(ctx.db, new Date(now - DAY));
  await dropStalePending(ctx.db, new Date(now - ctx.config.twoFactor.enrolmentTtlSeconds * 1000));
  // Stuffing attempts past the policy's window and theft suspicions no longer open (a day's slack,
  // so a reload to a longer window finds a day of history).
  const { credential_stuffing: stuffing, theft_suspected: theft } = ctx.risk.current().signals;
  await pruneRiskTables(ctx.db, {
    attemptsBefore: new Date(now - stuffing.windowSeconds * 1000 - DAY),
    suspicionsBefore: new Date(now - theft.openHours * 3_600_000 - DAY),
  });
}

/**
 * Runs the pruning hourly, and every minute expires the payment confirmations nobody decided in
 * time (their `payment_confirmation.abandoned` events should not wait an hour). Several instances
 * doing it at once is harmless. Returns the stop function.
 */
export function scheduleHousekeeping(ctx: AuthContext): () => void {
  const timer = setInterval(() => {
    pruneAuthTables(ctx).catch((error: unknown) => ctx.logger.warn({ err: error }, 'pruning auth tables failed'));
  }, 3_600_000);
  timer.unref();
  const confirmations = setInterval(() => {
    expireAbandonedConfirmations(ctx).catch((error: unknown) =>
      ctx.logger.warn({ err: error }, 'expiring payment confirmations failed'),
    );
  }, 60_000);
  confirmations.unref();
  return () => {
    clearInterval(timer);
    clearInterval(confirmations);
  };
}
