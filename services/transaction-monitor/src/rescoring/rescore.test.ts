import type { FlagReason } from '@wallet-guard/contracts';
import { describe, expect, it } from 'vitest';
import { MINUTE, monitored, securityEntry, shippedRules, T0 } from '../testing/fixtures';
import { canChangeScores, NO_FLAG, rescoreWithTimeline, rises, type StoredScore } from './rescore';

const rules = shippedRules();
const thresholds = { review: 30, theft: 70 };
const cash = monitored({ type: 'withdrawal', amountMinor: '10000' });
const reset = securityEntry('password.reset', T0 - 2 * MINUTE);
const flagged = (reasons: FlagReason[], fields: Partial<StoredScore> = {}): StoredScore => {
  const live = reasons.filter((r) => !r.shadow).reduce((s, r) => s + r.points, 0);
  const all = reasons.reduce((s, r) => s + r.points, 0);
  const decision = (n: number) => (n >= 70 ? 'suspected_theft' : n >= 30 ? 'review' : 'allow');
  return {
    score: live,
    decision: decision(live),
    shadowScore: all,
    shadowDecision: decision(all),
    reasons,
    securityEventIds: [],
    ...fields,
  };
};

describe('rescoring with a late security event', () => {
  it('adds the timeline rule to a transaction no rule touched', () => {
    const outcome = rescoreWithTimeline(cash, [reset], NO_FLAG, rules, thresholds);
    expect(outcome).toMatchObject({
      score: 35,
      decision: 'review',
      reasons: [{ rule: 'after_security_change', points: 35 }],
      securityEventIds: [reset.eventId],
    });
    expect(outcome && rises(NO_FLAG, outcome)).toBe(true);
  });

  it('keeps the other rules their points, replaces the old timeline hit, and writes reasons in rules-file order', () => {
    const before = flagged([
      { rule: 'amount_outlier', points: 25, detail: 'a' },
      { rule: 'after_security_change', points: 10, detail: 'weak' },
      { rule: 'balance_drain', points: 19, detail: 'b' },
    ]);
    const twoFactorOff = securityEntry('totp.disabled', T0 - MINUTE);
    const outcome = rescoreWithTimeline(cash, [reset, twoFactorOff], before, rules, thresholds);
    expect(outcome?.reasons.map((r) => [r.rule, r.points])).toEqual([
      ['amount_outlier', 25],
      ['after_security_change', 50],
      ['balance_drain', 19],
    ]);
    expect(outcome).toMatchObject({ score: 94, decision: 'suspected_theft' });
    expect(outcome && rises(before, outcome)).toBe(true);
  });

  it('counts structuring (no theft signal) toward review only, as scoring does', () => {
    const before = flagged([{ rule: 'structuring', points: 60, detail: 's' }]);
    const outcome = rescoreWithTimeline(cash, [reset], before, rules, thresholds);
    expect(outcome).toMatchObject({ score: 95, decision: 'review' });
    expect(outcome && rises(before, outcome)).toBe(false);
  });

  it('leaves alone a score it cannot replay: an owner confirmation, points taken off, a sum that does not add up', () => {
    const confirmed = flagged([{ rule: 'amount_outlier', points: 25, detail: 'a' }], { score: 0 });
    confirmed.reasons = [...confirmed.reasons, { rule: 'owner_confirmed', points: 25, detail: 'passkey' }];
    expect(rescoreWithTimeline(cash, [reset], confirmed, rules, thresholds)).toBeNull();
    const doesNotAddUp = flagged([{ rule: 'amount_outlier', points: 25, detail: 'a' }], { score: 5 });
    expect(rescoreWithTimeline(cash, [reset], doesNotAddUp, rules, thresholds)).toBeNull();
  });

  it('announces only a decision that rises; one that stays or would fall is left as it was', () => {
    const review = flagged([{ rule: 'after_security_change', points: 35, detail: 'd' }]);
    const lower = {
      ...review,
      score: 10,
      decision: 'allow' as const,
      shadowScore: 10,
      shadowDecision: 'allow' as const,
    };
    expect(rises(review, lower)).toBe(false);
    expect(rises(review, { ...review, score: 45 })).toBe(false);
    const shadowOnly = { ...NO_FLAG, shadowScore: 40, shadowDecision: 'review' as const };
    expect(rises(NO_FLAG, { ...shadowOnly, reasons: [], securityEventIds: [] })).toBe(true);
  });

  it('ignores events after the transaction, and events that change no score', () => {
    const later = securityEntry('password.reset', T0 + MINUTE);
    expect(rescoreWithTimeline(cash, [later], NO_FLAG, rules, thresholds)).toMatchObject({
      decision: 'allow',
      reasons: [],
    });
    expect(canChangeScores(securityEntry('sign_in.succeeded', T0, { newDevice: false, newIp: false }), rules)).toBe(
      false,
    );
    expect(canChangeScores(reset, rules)).toBe(true);
    expect(
      canChangeScores(reset, { ...rules, after_security_change: { ...rules.after_security_change, mode: 'off' } }),
    ).toBe(false);
  });
});
