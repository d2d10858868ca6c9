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
  /**
   * Failures since the counter's last success or lifted lock, at any pace (windows and temporary
   * locks do not end a run); attempts in progress included, refused ones not. The `nist` profile's
   * bound is on this number.
   */
  consecutive: number;
}

/** What the counter held when a lock is decided, beyond its lock history. */
export interface RunState {
  /** The counter's consecutive failures, the locking attempt's included. */
  consecutive: number;
  /** When the owner was last warned that the next lock is permanent (psd2), if ever since the last lifted lock. */
  finalWarningAt: Date | null;
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
  /** psd2: this temporary lock is the last before a permanent one, and the owner is warned with it. */
  finalWarning: boolean;
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
 * checked per window. Under a cap on consecutive failures (`nist`), attempts past it are refused
 * too, and the one that reaches it stands at the threshold: it is the attempt that locks (hard,
 * see `nextLock`), even when its window holds fewer failures. Exactly one attempt can: in a window
 * both numbers grow by one per attempt, so the first to reach either limit is the only one admitted
 * at it.
 */
export function admission(state: CounterState, now: Date, settings: LockoutSettings): Admission {
  const cap = settings.maxConsecutiveFailures;
  if (isLocked(state, now) || state.failures > settings.threshold || (cap !== null && state.consecutive > cap)) {
    return { kind: 'refused', failures: state.failures };
  }
  return { kind: 'verify', position: cap !== null && state.consecutive === cap ? settings.threshold : state.failures };
}

/** Whether the attempt with this number, having failed, locks the counter: exactly one can. */
export const locksOnFailure = (position: number, settings: LockoutSettings): boolean => position === settings.threshold;

/**
 * The lock a counter gets now. Each lock within the escalation window doubles the duration (up to
 * the maximum); the `hardLockAfter`-th is hard and lasts until an unlock link, a reset or an agent.
 * Profiles add to that:
 * - `nist`: a run of `maxConsecutiveFailures` consecutive failures locks hard whatever the window
 *   did, so slow guessing meets the same bound as fast (NIST SP 800-63B §5.2.2).
 * - `psd2`: no lock is permanent unless the owner was warned of it within the escalation window:
 *   the first lock that would reach `hardLockAfter - 1` or more without a warning is temporary and
 *   carries the warning (RTS on SCA Art. 4(4)); the next one past `hardLockAfter - 1` is hard. So
 *   after an unlock (which clears the warning) the owner is warned again before the next permanent lock.
 */
export function nextLock(
  recentLocks: readonly Date[],
  now: Date,
  settings: LockoutSettings,
  run: RunState = { consecutive: 0, finalWarningAt: null },
): Lock {
  const windowStart = now.getTime() - settings.escalationSeconds * 1000;
  const recent = [...recentLocks.filter((at) => at.getTime() > windowStart), now];
  const lockCount = recent.length;
  const cap = settings.maxConsecutiveFailures;
  let hard = lockCount >= settings.hardLockAfter || (cap !== null && run.consecutive >= cap);
  let finalWarning = false;
  if (settings.warnBeforeHardLock) {
    const warned = run.finalWarningAt !== null && run.finalWarningAt.getTime() > windowStart;
    finalWarning = !warned && lockCount >= settings.hardLockAfter - 1;
    hard = warned && lockCount >= settings.hardLockAfter;
  }
  const doublings = Math.min(lockCount - 1, 30);
  const seconds = Math.min(settings.lockSeconds * 2 ** doublings, settings.maxLockSeconds);
  return {
    hard,
    lockedUntil: hard ? null : new Date(now.getTime() + seconds * 1000),
    lockCount,
    recentLocks: recent,
    finalWarning,
  };
}
