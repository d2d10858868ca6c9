import { describe, expect, it } from 'vitest';
import { at, DAY, HOUR, monitored, profileAfter, ruleContext, shippedRules, T0 } from '../../testing/fixtures';
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

  describe('below the balance floor, relative to the account', () => {
    const usual = (amountMinor: string) =>
      profileAfter([3, 2, 1].map((h) => ({ amountMinor, occurredAt: at(T0 - 120 * DAY - h * HOUR) })));
    const small = (amountMinor: string, balanceAfterMinor: string, history = usual('500')) =>
      balanceDrain(ruleContext(monitored({ type: 'transfer_out', amountMinor, balanceAfterMinor }), history), params);

    it('flags a 30.00 EUR drain of 32.00 EUR when the account pays 5.00 at a time', () => {
      expect(small('3000', '200')?.detail).toBe(
        'Leaves 2.00 EUR of 32.00 EUR (6.3%); 30.00 EUR is 6.0x the usual 5.00 EUR',
      );
    });

    it('leaves alone the same drain by an account that pays 10.00 at a time, or with no history to judge by', () => {
      expect(small('3000', '200', usual('1000'))).toBeNull();
      expect(small('3000', '200', profileAfter([]))).toBeNull();
    });

    it('leaves alone a 30.00 EUR payment of a 5,000.00 EUR account', () => {
      expect(small('3000', '497000')).toBeNull();
    });

    it('uses the multiple of the rules file', () => {
      const drained = monitored({ type: 'transfer_out', amountMinor: '3000', balanceAfterMinor: '200' });
      expect(balanceDrain(ruleContext(drained, usual('500')), { ...params, usualMultiple: 7 })).toBeNull();
    });
  });
});
