import { describe, expect, it } from 'vitest';
import { authConfigSchema } from './auth';
import { ConfigError, parseConfig } from './load-config';
import { LOCKOUT_PROFILES, NIST_MAX_CONSECUTIVE_FAILURES, resolveLockout } from './lockout-profiles';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    parseConfig(authConfigSchema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('AUTH_LOCKOUT_PROFILE', () => {
  it('defaults to nist with the progressive policy: 5 failures, third lock hard, 15 consecutive failures at most', () => {
    const { lockout } = parseConfig(authConfigSchema, {});
    expect(lockout).toMatchObject({
      profile: 'nist',
      threshold: 5,
      hardLockAfter: 3,
      maxConsecutiveFailures: 15,
      warnBeforeHardLock: false,
    });
  });

  it("keeps every profile's own defaults inside its bound (changing a default past it fails here)", () => {
    for (const profile of LOCKOUT_PROFILES) {
      const { lockout, problems } = resolveLockout(profile, {});
      expect(problems, profile).toEqual([]);
      if (profile === 'nist') expect(lockout.threshold * lockout.hardLockAfter).toBeLessThanOrEqual(100);
      if (profile === 'psd2') {
        expect(lockout.threshold).toBeLessThanOrEqual(5);
        expect(lockout.hardLockAfter).toBeGreaterThanOrEqual(2);
      }
    }
    expect(NIST_MAX_CONSECUTIVE_FAILURES).toBe(100);
  });

  it('nist: accepts up to 100 consecutive failures (threshold × hard-lock count) and refuses more, naming the variable', () => {
    expect(
      parseConfig(authConfigSchema, { AUTH_LOCKOUT_THRESHOLD: '10', AUTH_LOCKOUT_HARD_AFTER: '10' }).lockout,
    ).toMatchObject({ profile: 'nist', maxConsecutiveFailures: 100 });
    expect(parseConfig(authConfigSchema, { AUTH_LOCKOUT_THRESHOLD: '33' }).lockout.maxConsecutiveFailures).toBe(99);

    const both = problemsOf({ AUTH_LOCKOUT_THRESHOLD: '10', AUTH_LOCKOUT_HARD_AFTER: '11' });
    expect(both.map((p) => p.split(':')[0])).toEqual(['AUTH_LOCKOUT_THRESHOLD', 'AUTH_LOCKOUT_HARD_AFTER']);
    expect(both[0]).toMatch(/10 × 11.*at most 100 consecutive failures.*NIST SP 800-63B/);
    // Only the variable that was set is named: the other is the profile's default.
    expect(problemsOf({ AUTH_LOCKOUT_HARD_AFTER: '21' }).map((p) => p.split(':')[0])).toEqual([
      'AUTH_LOCKOUT_HARD_AFTER',
    ]);
    expect(problemsOf({ AUTH_LOCKOUT_PROFILE: 'nist', AUTH_LOCKOUT_THRESHOLD: '34' })[0]).toMatch(
      /^AUTH_LOCKOUT_THRESHOLD: .*34 × 3/,
    );
  });

  it('psd2: refuses a threshold above 5 and a first lock that is already permanent (no warning possible)', () => {
    expect(parseConfig(authConfigSchema, { AUTH_LOCKOUT_PROFILE: 'psd2' }).lockout).toMatchObject({
      profile: 'psd2',
      threshold: 5,
      hardLockAfter: 3,
      maxConsecutiveFailures: null,
      warnBeforeHardLock: true,
    });
    expect(
      parseConfig(authConfigSchema, {
        AUTH_LOCKOUT_PROFILE: 'psd2',
        AUTH_LOCKOUT_THRESHOLD: '3',
        AUTH_LOCKOUT_HARD_AFTER: '2',
      }).lockout,
    ).toMatchObject({ threshold: 3, hardLockAfter: 2 });
    expect(problemsOf({ AUTH_LOCKOUT_PROFILE: 'psd2', AUTH_LOCKOUT_THRESHOLD: '6' })).toEqual([
      expect.stringMatching(
        /^AUTH_LOCKOUT_THRESHOLD: with AUTH_LOCKOUT_PROFILE=psd2 must be at most 5 .*Art\. 4\(3\)\(b\)/,
      ),
    ]);
    expect(problemsOf({ AUTH_LOCKOUT_PROFILE: 'psd2', AUTH_LOCKOUT_HARD_AFTER: '1' })).toEqual([
      expect.stringMatching(
        /^AUTH_LOCKOUT_HARD_AFTER: with AUTH_LOCKOUT_PROFILE=psd2 must be at least 2.*Art\. 4\(4\)/,
      ),
    ]);
  });

  it('custom: the variables as given, without a bound; an unknown profile is refused', () => {
    expect(
      parseConfig(authConfigSchema, {
        AUTH_LOCKOUT_PROFILE: 'custom',
        AUTH_LOCKOUT_THRESHOLD: '50',
        AUTH_LOCKOUT_HARD_AFTER: '50',
      }).lockout,
    ).toMatchObject({ profile: 'custom', threshold: 50, hardLockAfter: 50, maxConsecutiveFailures: null });
    expect(problemsOf({ AUTH_LOCKOUT_PROFILE: 'pci' })).toEqual([
      'AUTH_LOCKOUT_PROFILE: must be one of nist, psd2, custom',
    ]);
    expect(problemsOf({ AUTH_LOCKOUT_THRESHOLD: '0' })[0]).toMatch(/^AUTH_LOCKOUT_THRESHOLD: must be greater than 0/);
  });
});
