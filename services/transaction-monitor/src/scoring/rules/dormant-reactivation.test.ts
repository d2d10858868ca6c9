import { describe, expect, it } from 'vitest';
import { at, DAY, monitored, profileAfter, ruleContext, shippedRules, T0 } from '../../testing/fixtures';
import { dormantReactivation } from './dormant-reactivation';

const params = shippedRules().dormant_reactivation;
const lastActive = (daysAgo: number) => profileAfter([{ type: 'deposit', occurredAt: at(T0 - daysAgo * DAY) }]);
const withdraw = (amountMinor: string) => monitored({ type: 'withdrawal', amountMinor });

describe('dormant_reactivation', () => {
  it('fires on a large outgoing after 90 or more days without activity, stronger the longer', () => {
    const hit = dormantReactivation(ruleContext(withdraw('80000'), lastActive(120)), params);
    expect(hit?.detail).toBe('Outgoing 800.00 EUR after 120 days without activity');
    expect(hit?.strength).toBeGreaterThan(0.5);
    expect(dormantReactivation(ruleContext(withdraw('80000'), lastActive(400)), params)?.strength).toBe(1);
  });

  it('stays quiet for recent activity, small amounts, new accounts and incoming money', () => {
    expect(dormantReactivation(ruleContext(withdraw('80000'), lastActive(89)), params)).toBeNull();
    expect(dormantReactivation(ruleContext(withdraw('2000'), lastActive(200)), params)).toBeNull();
    expect(dormantReactivation(ruleContext(withdraw('80000')), params)).toBeNull();
    expect(
      dormantReactivation(ruleContext(monitored({ type: 'deposit', amountMinor: '80000' }), lastActive(200)), params),
    ).toBeNull();
  });
});
