import { describe, expect, it } from 'vitest';
import { monitored, ruleContext, shippedRules } from '../../testing/fixtures';
import { balanceDrain } from './balance-drain';

const params = shippedRules().balance_drain;
const drain = (amountMinor: string, balanceAfterMinor: string, type: 'withdrawal' | 'deposit' = 'withdrawal') =>
  balanceDrain(ruleContext(monitored({ type, amountMinor, balanceAfterMinor })), params);

describe('balance_drain', () => {
  it('fires when an outgoing transaction leaves less than 20% of the prior balance', () => {
    const hit = drain('90000', '10000');
    expect(hit?.detail).toBe('Leaves 100.00 EUR of 1,000.00 EUR (10%)');
    expect(hit?.strength).toBeCloseTo(0.75);
    expect(drain('100000', '0')?.strength).toBe(1);
  });

  it('stays quiet at 20% or more, for incoming money, without a balance, and on tiny balances', () => {
    expect(drain('80000', '20000')).toBeNull();
    expect(drain('90000', '100000', 'deposit')).toBeNull();
    expect(balanceDrain(ruleContext(monitored({ type: 'withdrawal', amountMinor: '90000' })), params)).toBeNull();
    expect(drain('9000', '1000')).toBeNull();
  });

  it('decides exactly above 2^53 minor units: leaving exactly 20% is not a drain', () => {
    // 9007199254740993 of 45035996273704965 is exactly a fifth; as doubles it looks like a bit less.
    expect(drain('36028797018963972', '9007199254740993')).toBeNull();
    expect(drain('36028797018963973', '9007199254740992')?.detail).toContain('(20%)');
  });

  it('uses the remaining fraction of the rules file', () => {
    expect(
      balanceDrain(ruleContext(monitored({ type: 'withdrawal', amountMinor: '60000', balanceAfterMinor: '40000' })), {
        ...params,
        remainingFraction: 0.5,
      }),
    ).not.toBeNull();
  });
});
