/**
 * Lockout profiles (AUTH_LOCKOUT_PROFILE): which rule the auth service's failure counters are held
 * to. Each profile gives the threshold and the hard-lock count their defaults and bounds what an
 * explicit AUTH_LOCKOUT_THRESHOLD / AUTH_LOCKOUT_HARD_AFTER may say, so a parameter change cannot
 * quietly leave the rule the deployment claims to follow.
 *
 * - `nist`: NIST SP 800-63B §5.2.2 (rev. 3; §3.2.2 in SP 800-63B-4), rate limiting: "Verifiers
 *   SHALL implement controls to limit the number of consecutive failed authentication attempts on
 *   a single account to no more than 100." The progressive policy (temporary locks doubling within
 *   the escalation window, the `hardLockAfter`-th hard), with `threshold × hardLockAfter <= 100`:
 *   a counter's consecutive failures (since its last success or lifted lock, at any pace) end in a
 *   hard lock at the latest at that product.
 * - `psd2`: Commission Delegated Regulation (EU) 2018/389 (RTS on SCA), Article 4(3)(b): the failed
 *   attempts that can take place consecutively before the action is temporarily or permanently
 *   blocked "shall not exceed five within a given period of time" (the period: the lockout window),
 *   so `threshold <= 5`; Article 4(4): the payer is alerted before the block is made permanent, so
 *   `hardLockAfter >= 2` and the lock before the hard one mails the owner a final warning;
 *   Article 4(5): the secure procedure to regain use is the unlock link or a password reset.
 * - `custom`: the variables as given, no bound (the behaviour before profiles existed).
 */
export const LOCKOUT_PROFILES = ['nist', 'psd2', 'custom'] as const;
export type LockoutProfile = (typeof LOCKOUT_PROFILES)[number];

/** NIST SP 800-63B §5.2.2: at most this many consecutive failed attempts on an account. */
export const NIST_MAX_CONSECUTIVE_FAILURES = 100;
/** RTS on SCA Art. 4(3)(b): at most five failed attempts in a row before a block. */
export const PSD2_MAX_THRESHOLD = 5;

/** The defaults each profile gives the variables it bounds (the progressive policy's: 5 failures, third lock hard). */
const PROFILE_DEFAULTS: Record<LockoutProfile, { threshold: number; hardLockAfter: number }> = {
  nist: { threshold: 5, hardLockAfter: 3 },
  psd2: { threshold: 5, hardLockAfter: 3 },
  custom: { threshold: 5, hardLockAfter: 3 },
};

/** What a profile makes of the variables: the values in force and the profile's extra rules. */
export interface ResolvedLockout {
  profile: LockoutProfile;
  threshold: number;
  hardLockAfter: number;
  /** nist: `threshold × hardLockAfter`, the consecutive failures after which a counter is hard-locked; null otherwise. */
  maxConsecutiveFailures: number | null;
  /** psd2: the lock before the hard one mails the owner a final warning. */
  warnBeforeHardLock: boolean;
}

/** A variable the profile refuses, and why (the config error's line). */
export interface LockoutProblem {
  /** The explicit variable that breaks the bound; the profile itself when its own defaults would. */
  variable: 'AUTH_LOCKOUT_THRESHOLD' | 'AUTH_LOCKOUT_HARD_AFTER' | 'AUTH_LOCKOUT_PROFILE';
  message: string;
}

/**
 * The lockout values in force under `profile`, and every explicitly set variable that breaks the
 * profile's bound (named, so the service refuses to start with a line saying which). Pure.
 */
export function resolveLockout(
  profile: LockoutProfile,
  explicit: { threshold?: number | undefined; hardLockAfter?: number | undefined },
): { lockout: ResolvedLockout; problems: LockoutProblem[] } {
  const defaults = PROFILE_DEFAULTS[profile];
  const threshold = explicit.threshold ?? defaults.threshold;
  const hardLockAfter = explicit.hardLockAfter ?? defaults.hardLockAfter;
  const problems: LockoutProblem[] = [];
  if (profile === 'nist' && threshold * hardLockAfter > NIST_MAX_CONSECUTIVE_FAILURES) {
    const message =
      `with AUTH_LOCKOUT_PROFILE=nist, AUTH_LOCKOUT_THRESHOLD × AUTH_LOCKOUT_HARD_AFTER (${threshold} × ${hardLockAfter}) ` +
      `must be at most ${NIST_MAX_CONSECUTIVE_FAILURES} consecutive failures (NIST SP 800-63B §5.2.2)`;
    if (explicit.threshold !== undefined) problems.push({ variable: 'AUTH_LOCKOUT_THRESHOLD', message });
    if (explicit.hardLockAfter !== undefined) problems.push({ variable: 'AUTH_LOCKOUT_HARD_AFTER', message });
    if (problems.length === 0)
      problems.push({ variable: 'AUTH_LOCKOUT_PROFILE', message: `its defaults break: ${message}` });
  }
  if (profile === 'psd2' && threshold > PSD2_MAX_THRESHOLD) {
    problems.push({
      variable: 'AUTH_LOCKOUT_THRESHOLD',
      message: `with AUTH_LOCKOUT_PROFILE=psd2 must be at most ${PSD2_MAX_THRESHOLD} (RTS on SCA, Reg. (EU) 2018/389 Art. 4(3)(b))`,
    });
  }
  if (profile === 'psd2' && hardLockAfter < 2) {
    problems.push({
      variable: 'AUTH_LOCKOUT_HARD_AFTER',
      message:
        'with AUTH_LOCKOUT_PROFILE=psd2 must be at least 2: the owner is warned with the lock before the permanent one ' +
        '(RTS on SCA, Reg. (EU) 2018/389 Art. 4(4))',
    });
  }
  return {
    lockout: {
      profile,
      threshold,
      hardLockAfter,
      maxConsecutiveFailures: profile === 'nist' ? threshold * hardLockAfter : null,
      warnBeforeHardLock: profile === 'psd2',
    },
    problems,
  };
}
