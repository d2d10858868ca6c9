import type { AuthDeps } from './deps';
import { pruneIpFailures } from './lockout/ip-throttle';
import { pruneCounters } from './lockout/lockout-store';
import { pruneMfaChallenges } from './two-factor/mfa-challenges';
import { dropStalePending } from './two-factor/totp-store';

const DAY = 86_400_000;

/**
 * Deletes what no rule can read any more: failure counters idle past every window (hard locks
 * stay), IP windows, single-use, refresh and mfa tokens a day past their expiry, and two-factor
 * enrolments never confirmed in time. Idempotent.
 */
export async function pruneAuthTables(deps: AuthDeps): Promise<void> {
  const now = deps.clock().getTime();
  const { lockout } = deps.config;
  const counterHorizon = Math.max(lockout.windowSeconds, lockout.escalationSeconds, lockout.maxLockSeconds) * 1000;
  await pruneCounters(deps.db, new Date(now - counterHorizon - DAY));
  await pruneIpFailures(deps.db, new Date(now - DAY));
  await deps.db
    .deleteFrom('auth_one_time_tokens')
    .where('expires_at', '<', new Date(now - DAY))
    .execute();
  await deps.db
    .deleteFrom('auth_refresh_tokens')
    .where('expires_at', '<', new Date(now - DAY))
    .execute();
  await pruneMfaChallenges(deps.db, new Date(now - DAY));
  await dropStalePending(deps.db, new Date(now - deps.config.twoFactor.enrolmentTtlSeconds * 1000));
}

/** Runs the pruning hourly (several instances doing it at once is harmless); returns the stop function. */
export function scheduleHousekeeping(deps: AuthDeps): () => void {
  const timer = setInterval(() => {
    pruneAuthTables(deps).catch((error: unknown) => deps.logger.warn({ err: error }, 'pruning auth tables failed'));
  }, 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
