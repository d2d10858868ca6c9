import type { AuthConfig } from '@wallet-guard/config';
import type { SourceHistory } from '../accounts/accounts-store';

export type LockoutSettings = AuthConfig['lockout'];

/** A failure counter as stored (one per email and source). */
export interface CounterState {
  /** Failures in the current window, attempts in progress included (they count before they verify). */
  failures: number;
  lockedUntil: Date | null;
  hard: boolean;
  /** Starts of the locks inside the escalation window, oldest first. */
  recentLocks: Date[];
}

/** What an attempt may do once it has taken its number. */
export type Admission =
  | { kind: 'verify'; position: number }
  /** Locked, or more attempts than the threshold already in this window: refused unverified. */
  | { kind: 'refused'; failures: number };

export interface Lock {
  hard: boolean;
  /** Null for a hard lock. */
  lockedUntil: Date | null;
  /** Locks in the escalation window, this one included. */
  lockCount: number;
  recentLocks: Date[];
}

export const isLocked = (state: Pick<CounterState, 'hard' | 'lockedUntil'>, now: Date): boolean =>
  state.hard || (state.lockedUntil !== null && state.lockedUntil > now);

/**
 * Which counter an attempt uses. A device, or else an IP, that signed in within the last
 * `knownSourceDays` has its own, so a stranger's failures (counted under `any`) never lock the
 * owner out of it.
 */
export function counterSubject(
  sources: SourceHistory | undefined,
  context: { deviceId?: string | undefined; ip?: string | undefined },
  now: Date,
  settings: LockoutSettings,
): string {
  const since = now.getTime() - settings.knownSourceDays * 86_400_000;
  if (context.deviceId && sources?.deviceLastSuccess && sources.deviceLastSuccess.getTime() > since) {
    return `device:${context.deviceId}`;
  }
  if (context.ip && sources?.ipLastSuccess && sources.ipLastSuccess.getTime() > since) return `ip:${context.ip}`;
  return 'any';
}

/**
 * Reads the counter after the attempt took its number. Only attempts numbered up to the
 * threshold verify a password, so however many arrive at once, at most `threshold` guesses are
 * checked per window.
 */
export function admission(state: CounterState, now: Date, settings: LockoutSettings): Admission {
  if (isLocked(state, now) || state.failures > settings.threshold) return { kind: 'refused', failures: state.failures };
  return { kind: 'verify', position: state.failures };
}

/** Whether the attempt with this number, having failed, locks the counter: exactly one can. */
export const locksOnFailure = (position: number, settings: LockoutSettings): boolean => position === settings.threshold;

/**
 * The lock a counter gets now. Each lock within the escalation window doubles the duration (up to
 * the maximum); the `hardLockAfter`-th is hard and lasts until an unlock link, a reset or an agent.
 */
export function nextLock(recentLocks: readonly Date[], now: Date, settings: LockoutSettings): Lock {
  const windowStart = now.getTime() - settings.escalationSeconds * 1000;
  const recent = [...recentLocks.filter((at) => at.getTime() > windowStart), now];
  const lockCount = recent.length;
  const hard = lockCount >= settings.hardLockAfter;
  const seconds = Math.min(settings.lockSeconds * 2 ** (lockCount - 1), settings.maxLockSeconds);
  return {
    hard,
    lockedUntil: hard ? null : new Date(now.getTime() + seconds * 1000),
    lockCount,
    recentLocks: recent,
  };
}
