import { describe, expect, it } from 'vitest';
import { at, HOUR, MINUTE, monitored, profileAfter, ruleContext, shippedRules, T0 } from '../../testing/fixtures';
import { testThenLarge } from './test-then-large';

const params = shippedRules().test_then_large;
const tinyPayments = (count: number, amountMinor = '100', startMs = T0 - 30 * MINUTE) =>
  profileAfter(Array.from({ length: count }, (_, i) => ({ amountMinor, occurredAt: at(startMs + i * MINUTE) })));
const large = monitored({ type: 'transfer_out', amountMinor: '90000' });

describe('test_then_large', () => {
  it('fires on a large outgoing after several tiny ones within the hour', () => {
    const hit = testThenLarge(ruleContext(large, tinyPayments(3)), params);
    expect(hit?.detail).toBe('3 tiny payments (at most 2.00 EUR) within 60 minutes before 900.00 EUR');
    expect(hit?.strength).toBe(0.5);
    expect(testThenLarge(ruleContext(large, tinyPayments(6)), params)?.strength).toBe(1);
  });

  it('stays quiet with too few tiny ones, tiny ones too old, a small last one, or incoming money', () => {
    expect(testThenLarge(ruleContext(large, tinyPayments(2)), params)).toBeNull();
    expect(testThenLarge(ruleContext(large, tinyPayments(3, '100', T0 - 2 * HOUR)), params)).toBeNull();
    expect(testThenLarge(ruleContext(large, tinyPayments(3, '5000')), params)).toBeNull();
    expect(testThenLarge(ruleContext(monitored({ amountMinor: '2000' }), tinyPayments(5)), params)).toBeNull();
    expect(
      testThenLarge(ruleContext(monitored({ type: 'deposit', amountMinor: '90000' }), tinyPayments(5)), params),
    ).toBeNull();
  });

  it('counts as large, below 300.00, a payment taking half the balance of a small account', () => {
    const drain = (amountMinor: string, balanceAfterMinor: string) =>
      testThenLarge(
        ruleContext(monitored({ type: 'transfer_out', amountMinor, balanceAfterMinor }), tinyPayments(3)),
        params,
      );
    expect(drain('5000', '1000')?.detail).toBe('3 tiny payments (at most 2.00 EUR) within 60 minutes before 50.00 EUR');
    expect(drain('5000', '497000')).toBeNull();
    expect(drain('150', '0')).toBeNull();
    expect(
      testThenLarge(
        ruleContext(
          monitored({ type: 'transfer_out', amountMinor: '5000', balanceAfterMinor: '1000' }),
          tinyPayments(3),
        ),
        { ...params, largeShareOfBalance: 0.9 },
      ),
    ).toBeNull();
  });
});
