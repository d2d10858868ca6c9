import { describe, expect, it } from 'vitest';
import { at, DAY, MINUTE, monitored, profileAfter, ruleContext, shippedRules, T0 } from '../../testing/fixtures';
import { newCounterpartyLarge } from './new-counterparty-large';

const params = shippedRules().new_counterparty_large;
const landlord = { id: 'DE-landlord', kind: 'bank_account' as const };
const stranger = { id: 'bc1-thief', kind: 'crypto_address' as const };
const paidLandlord = profileAfter([{ amountMinor: '90000', counterparty: landlord, occurredAt: at(T0 - 30 * DAY) }]);

describe('new_counterparty_large', () => {
  it('fires on a large first payment (absolute)', () => {
    const hit = newCounterpartyLarge(
      ruleContext(monitored({ amountMinor: '150000', counterparty: stranger }), paidLandlord),
      params,
    );
    expect(hit?.detail).toBe('New crypto address: 1,500.00 EUR');
    expect(hit?.strength).toBeGreaterThanOrEqual(0.5);
  });

  it('fires on a first payment that takes most of the balance, even when the amount is modest', () => {
    const tx = monitored({ amountMinor: '40000', balanceAfterMinor: '5000', counterparty: stranger });
    const hit = newCounterpartyLarge(ruleContext(tx, paidLandlord), params);
    expect(hit?.detail).toBe('New crypto address: 400.00 EUR, 88.9% of the balance');
  });

  it('stays quiet for a known counterparty, a small payment, or incoming money', () => {
    expect(
      newCounterpartyLarge(
        ruleContext(monitored({ amountMinor: '500000', counterparty: landlord }), paidLandlord),
        params,
      ),
    ).toBeNull();
    expect(
      newCounterpartyLarge(
        ruleContext(monitored({ amountMinor: '2000', counterparty: stranger }), paidLandlord),
        params,
      ),
    ).toBeNull();
    const tiny = monitored({ amountMinor: '900', balanceAfterMinor: '100', counterparty: stranger });
    expect(newCounterpartyLarge(ruleContext(tiny, paidLandlord), params)).toBeNull();
    const incoming = monitored({ type: 'transfer_in', amountMinor: '900000', counterparty: stranger });
    expect(newCounterpartyLarge(ruleContext(incoming, paidLandlord), params)).toBeNull();
  });

  it('judges a drain split into several transfers to one fresh counterparty on their total', () => {
    const first = {
      amountMinor: '30000',
      balanceAfterMinor: '30000',
      counterparty: stranger,
      occurredAt: at(T0 - 5 * MINUTE),
    };
    const profile = profileAfter([first]);
    const second = monitored({ amountMinor: '29000', balanceAfterMinor: '1000', counterparty: stranger });
    const hit = newCounterpartyLarge(ruleContext(second, profile), params);
    expect(hit?.detail).toBe('New crypto address: 590.00 EUR in 2 payments, 98.3% of the balance');
    expect(hit?.strength).toBeGreaterThan(0.9);
  });

  it('treats a counterparty first paid more than newForHours ago as known', () => {
    const earlier = profileAfter([{ amountMinor: '100', counterparty: stranger, occurredAt: at(T0 - 2 * DAY) }]);
    expect(
      newCounterpartyLarge(ruleContext(monitored({ amountMinor: '500000', counterparty: stranger }), earlier), params),
    ).toBeNull();
  });

  it('counts a share of a small balance when the total is many times what the account usually pays', () => {
    const usual = (amountMinor: string) =>
      profileAfter(
        [3, 2, 1].map((h) => ({ amountMinor, counterparty: landlord, occurredAt: at(T0 - DAY - h * 60 * MINUTE) })),
      );
    const send = (amountMinor: string, balanceAfterMinor: string, history: ReturnType<typeof usual>) =>
      newCounterpartyLarge(
        ruleContext(monitored({ amountMinor, balanceAfterMinor, counterparty: stranger }), history),
        params,
      );
    const hit = send('3000', '200', usual('500'));
    expect(hit?.detail).toBe('New crypto address: 30.00 EUR, 93.8% of the balance (6.0x the usual 5.00 EUR)');
    expect(hit?.strength).toBeGreaterThan(0.9);
    // Not for an account paying 25.00 at a time, and not for 30.00 out of 5,000.00.
    expect(send('3000', '200', usual('2500'))).toBeNull();
    expect(send('3000', '497000', usual('500'))).toBeNull();
    expect(
      newCounterpartyLarge(
        ruleContext(monitored({ amountMinor: '3000', balanceAfterMinor: '200', counterparty: stranger }), usual('500')),
        { ...params, usualMultiple: 8 },
      ),
    ).toBeNull();
  });
});
