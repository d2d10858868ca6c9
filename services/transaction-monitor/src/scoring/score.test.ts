import { describe, expect, it } from 'vitest';
import {
  MINUTE,
  monitored,
  profileAfter,
  ruleContext,
  securityEntry,
  shippedRules,
  T0,
  usualPayments,
} from '../testing/fixtures';
import { decide, scoreTransaction } from './score';

const thresholds = { review: 30, theft: 70 };
const stranger = { id: 'bc1-thief', kind: 'crypto_address' as const };

// Outgoing 12 minutes after 2FA was disabled (preceded by a new-device sign-in), a large first
// payment to a new address from a new device, emptying the account (and over the 10-minute sum).
const takeover = () => {
  const timeline = [
    securityEntry('sign_in.succeeded', T0 - 30 * MINUTE, { newDevice: true }),
    securityEntry('totp.disabled', T0 - 12 * MINUTE),
  ];
  const tx = monitored({
    type: 'withdrawal',
    amountMinor: '480000',
    balanceAfterMinor: '2000',
    counterparty: stranger,
    context: { deviceId: 'attacker-laptop', country: 'DE' },
  });
  return ruleContext(tx, profileAfter(usualPayments(10)), timeline);
};

describe('scoring', () => {
  it('maps scores to decisions at the configured thresholds', () => {
    expect([0, 29, 30, 69, 70, 100].map((s) => decide(s, thresholds))).toEqual([
      'allow',
      'allow',
      'review',
      'review',
      'suspected_theft',
      'suspected_theft',
    ]);
    expect(decide(50, { review: 10, theft: 50 })).toBe('suspected_theft');
  });

  it('keeps a score reached only with rules that do not signal theft (structuring) at review', () => {
    expect(decide(85, thresholds, 69)).toBe('review');
    expect(decide(85, thresholds, 70)).toBe('suspected_theft');
    expect(shippedRules().structuring.theftSignal).toBe(false);
    expect(shippedRules().after_security_change.theftSignal).toBe(true);
  });

  it('adds weighted hits, caps at 100, and names the security events behind them', () => {
    const ctx = takeover();
    const outcome = scoreTransaction(ctx, shippedRules(), thresholds);
    expect(outcome.reasons.map((r) => r.rule)).toEqual([
      'amount_outlier',
      'velocity',
      'new_counterparty_large',
      'after_security_change',
      'balance_drain',
      'new_device_or_country',
    ]);
    expect(outcome.reasons.reduce((s, r) => s + r.points, 0)).toBeGreaterThan(100);
    expect(outcome.score).toBe(100);
    expect(outcome.decision).toBe('suspected_theft');
    expect(outcome.securityEventIds).toEqual(ctx.timeline.map((e) => e.eventId));
  });

  it('runs shadow rules without letting them decide, and skips rules that are off', () => {
    const rules = shippedRules();
    const shadowed = {
      ...rules,
      after_security_change: { ...rules.after_security_change, mode: 'shadow' as const },
      amount_outlier: { ...rules.amount_outlier, mode: 'off' as const },
      velocity: { ...rules.velocity, mode: 'off' as const },
      balance_drain: { ...rules.balance_drain, mode: 'off' as const },
    };
    const outcome = scoreTransaction(takeover(), shadowed, thresholds);
    const shadowReason = outcome.reasons.find((r) => r.rule === 'after_security_change');
    // Two kinds of change, the latest 12 minutes before: 50 * 0.5^(12/240), rounded.
    expect(shadowReason).toMatchObject({ shadow: true, points: 48 });
    expect(outcome.reasons.map((r) => r.rule)).toEqual([
      'new_counterparty_large',
      'after_security_change',
      'new_device_or_country',
    ]);
    const live = outcome.reasons.filter((r) => !r.shadow).reduce((s, r) => s + r.points, 0);
    expect(outcome.score).toBe(live);
    expect(outcome.shadowScore).toBe(Math.min(100, live + 48));
    expect(outcome.decision).toBe('review');
    expect(outcome.shadowDecision).toBe('suspected_theft');
    expect(outcome.securityEventIds).toEqual([]);
  });

  it('gives an ordinary payment a zero score and no reasons', () => {
    const ctx = ruleContext(
      monitored({ counterparty: { id: 'grocer', kind: 'merchant' }, context: { deviceId: 'phone-1', country: 'DE' } }),
      profileAfter(usualPayments(10)),
    );
    expect(scoreTransaction(ctx, shippedRules(), thresholds)).toEqual({
      score: 0,
      decision: 'allow',
      shadowScore: 0,
      shadowDecision: 'allow',
      reasons: [],
      securityEventIds: [],
    });
  });
});
