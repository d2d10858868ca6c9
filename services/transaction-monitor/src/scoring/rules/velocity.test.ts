import { describe, expect, it } from 'vitest';
import { at, HOUR, MINUTE, monitored, profileAfter, ruleContext, shippedRules, T0 } from '../../testing/fixtures';
import { velocity } from './velocity';

const params = shippedRules().velocity;
const paymentsBefore = (count: number, everyMs: number, amountMinor = '1000') =>
  profileAfter(Array.from({ length: count }, (_, i) => ({ amountMinor, occurredAt: at(T0 - (count - i) * everyMs) })));

describe('velocity', () => {
  it('fires on too many outgoing transactions in 10 minutes (this one included)', () => {
    expect(velocity(ruleContext(monitored({ amountMinor: '1000' }), paymentsBefore(4, MINUTE)), params)).toBeNull();
    const hit = velocity(ruleContext(monitored({ amountMinor: '1000' }), paymentsBefore(5, MINUTE)), params);
    expect(hit?.detail).toBe('6 outgoing transactions within 10 minutes (limit 5)');
    expect(hit?.strength).toBeCloseTo(0.6);
  });

  it('fires on too many in an hour when the 10-minute window is fine', () => {
    const hit = velocity(ruleContext(monitored({ amountMinor: '1000' }), paymentsBefore(10, 5 * MINUTE)), params);
    expect(hit?.detail).toBe('11 outgoing transactions within 60 minutes (limit 10)');
  });

  it('fires on too large a sum in the currency of the transaction', () => {
    const hit = velocity(
      ruleContext(monitored({ amountMinor: '200000' }), paymentsBefore(1, MINUTE, '150000')),
      params,
    );
    expect(hit?.detail).toBe('3,500.00 EUR sent within 10 minutes (limit 3,000.00 EUR)');
    const otherCurrency = paymentsBefore(1, MINUTE, '150000');
    expect(
      velocity(ruleContext(monitored({ amountMinor: '200000', currency: 'USD' }), otherCurrency), params),
    ).toBeNull();
  });

  it('reaches full strength at twice the limit and ignores incoming money and old transactions', () => {
    expect(velocity(ruleContext(monitored({ amountMinor: '1000' }), paymentsBefore(9, MINUTE)), params)?.strength).toBe(
      1,
    );
    expect(velocity(ruleContext(monitored({ type: 'deposit' }), paymentsBefore(20, MINUTE)), params)).toBeNull();
    const old = profileAfter(Array.from({ length: 20 }, (_, i) => ({ occurredAt: at(T0 - 2 * HOUR - i * MINUTE) })));
    expect(velocity(ruleContext(monitored(), old), params)).toBeNull();
  });

  it('uses the windows of the rules file', () => {
    const tight = { ...params, windows: [{ minutes: 10, maxCount: 2, maxSum: { default: 99999999n } }] };
    expect(velocity(ruleContext(monitored(), paymentsBefore(2, MINUTE)), tight)).not.toBeNull();
  });
});
