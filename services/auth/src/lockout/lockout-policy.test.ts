import { describe, expect, it } from 'vitest';
import { admission, counterSubject, type LockoutSettings, locksOnFailure, nextLock } from './lockout-policy';

const settings: LockoutSettings = {
  profile: 'custom',
  threshold: 5,
  windowSeconds: 900,
  lockSeconds: 900,
  maxLockSeconds: 86_400,
  hardLockAfter: 3,
  escalationSeconds: 86_400,
  knownSourceDays: 30,
  ipFailuresPerMinute: 30,
  ipv6ThrottlePrefixBits: 64,
  maxConsecutiveFailures: null,
  warnBeforeHardLock: false,
};
const nist: LockoutSettings = { ...settings, profile: 'nist', maxConsecutiveFailures: 15 };
const psd2: LockoutSettings = { ...settings, profile: 'psd2', warnBeforeHardLock: true };
const now = new Date('2026-11-24T12:00:00.000Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const state = (
  failures: number,
  extra: Partial<{ lockedUntil: Date | null; hard: boolean; consecutive: number }> = {},
) => ({
  failures,
  lockedUntil: null,
  hard: false,
  recentLocks: [],
  consecutive: failures,
  ...extra,
});

describe('lockout policy', () => {
  it('lets attempts numbered up to the threshold verify; the one at the threshold locks when it fails', () => {
    expect(admission(state(1), now, settings)).toEqual({ kind: 'verify', position: 1 });
    expect(admission(state(5), now, settings)).toEqual({ kind: 'verify', position: 5 });
    expect(admission(state(6), now, settings)).toEqual({ kind: 'refused', failures: 6 });
    expect([4, 5, 6].map((p) => locksOnFailure(p, settings))).toEqual([false, true, false]);
  });

  it('refuses while a temporary lock runs and after it admits again; a hard lock never expires', () => {
    expect(admission(state(0, { lockedUntil: minutesAgo(-1) }), now, settings).kind).toBe('refused');
    expect(admission(state(1, { lockedUntil: minutesAgo(1) }), now, settings).kind).toBe('verify');
    expect(admission(state(0, { hard: true }), now, settings).kind).toBe('refused');
  });

  it('locks 15 minutes, doubles within 24 hours, makes the third lock hard and caps the duration', () => {
    const first = nextLock([], now, settings);
    expect(first).toMatchObject({ hard: false, lockCount: 1, lockedUntil: new Date(now.getTime() + 900_000) });
    const second = nextLock(
      first.recentLocks.map(() => minutesAgo(30)),
      now,
      settings,
    );
    expect(second).toMatchObject({ hard: false, lockCount: 2, lockedUntil: new Date(now.getTime() + 1_800_000) });
    expect(nextLock([minutesAgo(90), minutesAgo(30)], now, settings)).toMatchObject({
      hard: true,
      lockCount: 3,
      lockedUntil: null,
    });
    // Locks older than the escalation window are forgotten.
    expect(nextLock([minutesAgo(25 * 60), minutesAgo(24 * 60 + 1)], now, settings)).toMatchObject({ lockCount: 1 });
    const capped = nextLock([minutesAgo(3), minutesAgo(2), minutesAgo(1)], now, {
      ...settings,
      hardLockAfter: 10,
      maxLockSeconds: 3600,
    });
    expect(capped).toMatchObject({ hard: false, lockCount: 4, lockedUntil: new Date(now.getTime() + 3_600_000) });
  });

  it('gives a device, else an IP, that signed in within 30 days a counter of its own', () => {
    const recent = { deviceLastSuccess: minutesAgo(60), ipLastSuccess: minutesAgo(60) };
    const context = { deviceId: 'phone-1', ip: '198.51.100.7' };
    expect(counterSubject(recent, context, now, settings)).toBe('device:phone-1');
    expect(counterSubject({ ...recent, deviceLastSuccess: null }, context, now, settings)).toBe('ip:198.51.100.7');
    const stale = { deviceLastSuccess: minutesAgo(31 * 1440), ipLastSuccess: minutesAgo(31 * 1440) };
    expect(counterSubject(stale, context, now, settings)).toBe('any');
    expect(counterSubject(undefined, context, now, settings)).toBe('any');
    expect(counterSubject(recent, {}, now, settings)).toBe('any');
  });

  it('nist: the attempt that reaches the consecutive cap locks hard in any window; past it every attempt is refused', () => {
    // A slow guesser: 2 failures in this window, 15 in the run.
    expect(admission(state(2, { consecutive: 14 }), now, nist)).toEqual({ kind: 'verify', position: 2 });
    const capping = admission(state(3, { consecutive: 15 }), now, nist);
    expect(capping).toEqual({ kind: 'verify', position: 5 });
    expect(capping.kind === 'verify' && locksOnFailure(capping.position, nist)).toBe(true);
    expect(admission(state(4, { consecutive: 16 }), now, nist).kind).toBe('refused');
    // Without a cap the same run goes on.
    expect(admission(state(4, { consecutive: 16 }), now, settings)).toEqual({ kind: 'verify', position: 4 });
    // The first lock of the escalation window is hard when the run has reached the cap, not before.
    const run = (consecutive: number) => ({ consecutive, finalWarningAt: null });
    expect(nextLock([], now, nist, run(15))).toMatchObject({ hard: true, lockCount: 1, lockedUntil: null });
    expect(nextLock([], now, nist, run(14))).toMatchObject({ hard: false, lockCount: 1 });
    expect(nextLock([], now, settings, run(500))).toMatchObject({ hard: false });
  });

  it('psd2: warns with the lock before the permanent one, and never makes a lock permanent without a warning', () => {
    const unwarned = { consecutive: 0, finalWarningAt: null };
    expect(nextLock([], now, psd2, unwarned)).toMatchObject({ hard: false, finalWarning: false, lockCount: 1 });
    const second = nextLock([minutesAgo(30)], now, psd2, unwarned);
    expect(second).toMatchObject({ hard: false, finalWarning: true, lockCount: 2 });
    const warned = { consecutive: 0, finalWarningAt: minutesAgo(20) };
    expect(nextLock([minutesAgo(30), minutesAgo(20)], now, psd2, warned)).toMatchObject({
      hard: true,
      finalWarning: false,
      lockCount: 3,
    });
    // After an unlock (history kept, warning cleared) the next lock warns again instead of being hard.
    const afterUnlock = nextLock([minutesAgo(40), minutesAgo(30), minutesAgo(20)], now, psd2, unwarned);
    expect(afterUnlock).toMatchObject({ hard: false, finalWarning: true, lockCount: 4 });
    // A warning older than the escalation window does not count.
    const stale = { consecutive: 0, finalWarningAt: minutesAgo(25 * 60) };
    expect(nextLock([minutesAgo(30), minutesAgo(20)], now, psd2, stale)).toMatchObject({
      hard: false,
      finalWarning: true,
    });
    // Other profiles never warn.
    expect(nextLock([minutesAgo(30)], now, settings, unwarned).finalWarning).toBe(false);
  });
});
