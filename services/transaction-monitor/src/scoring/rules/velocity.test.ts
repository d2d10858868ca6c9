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

  describe('relative to the account', () => {
    /** Five usual 5.00 payments a day ago, then two transfers to fresh wallets minutes before T0. */
    const steps = (usualMinor = '500') =>
      profileAfter([
        ...[5, 4, 3, 2, 1].map((h) => ({ amountMinor: usualMinor, occurredAt: at(T0 - 24 * HOUR - h * HOUR) })),
        {
          type: 'transfer_out' as const,
          amountMinor: '4000',
          counterparty: { id: 'w-1', kind: 'wallet' as const },
          occurredAt: at(T0 - 5 * MINUTE),
        },
        {
          type: 'transfer_out' as const,
          amountMinor: '3000',
          counterparty: { id: 'w-2', kind: 'wallet' as const },
          occurredAt: at(T0 - 3 * MINUTE),
        },
      ]);
    const last = (balanceAfterMinor: string) =>
      monitored({
        type: 'transfer_out',
        amountMinor: '2500',
        balanceAfterMinor,
        counterparty: { id: 'w-3', kind: 'wallet' },
      });

    it('flags a small account emptied in steps to several destinations, far below the sums', () => {
      const hit = velocity(ruleContext(last('500'), steps()), params);
      expect(hit?.detail).toBe(
        '95.00 EUR sent in 3 transactions within 10 minutes: 95% of the 100.00 EUR held when they began (19.0x the usual 5.00 EUR)',
      );
      expect(hit?.strength).toBeCloseTo(0.75);
    });

    it('leaves alone the same payments out of 5,000.00 EUR, or by an account that usually pays 25.00', () => {
      expect(velocity(ruleContext(last('490500'), steps()), params)).toBeNull();
      expect(velocity(ruleContext(last('500'), steps('2500')), params)).toBeNull();
      expect(velocity(ruleContext(last('500'), steps()), { ...params, balanceShare: 0.99 })).toBeNull();
    });
  });
});
