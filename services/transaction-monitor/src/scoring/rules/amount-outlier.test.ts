import { describe, expect, it } from 'vitest';
import {
  at,
  MINUTE,
  monitored,
  profileAfter,
  ruleContext,
  shippedRules,
  T0,
  usualPayments,
} from '../../testing/fixtures';
import { amountOutlier } from './amount-outlier';

const params = shippedRules().amount_outlier;
const usual = profileAfter(usualPayments(10, '5000'));

describe('amount_outlier', () => {
  it('fires far above the usual amount for the currency, stronger the further', () => {
    const fivefold = amountOutlier(ruleContext(monitored({ amountMinor: '25000' }), usual), params);
    const hundredfold = amountOutlier(ruleContext(monitored({ amountMinor: '500000' }), usual), params);
    expect(fivefold?.strength).toBeGreaterThanOrEqual(0.5);
    expect(fivefold?.strength).toBeLessThan(1);
    expect(hundredfold?.strength).toBe(1);
    expect(hundredfold?.detail).toBe('Outgoing 5,000.00 EUR is 100.0x the usual 50.00 EUR (median of the last 10)');
  });

  it('stays quiet at usual amounts, below the ratio, and for incoming money', () => {
    expect(amountOutlier(ruleContext(monitored({ amountMinor: '6000' }), usual), params)).toBeNull();
    expect(amountOutlier(ruleContext(monitored({ amountMinor: '19000' }), usual), params)).toBeNull();
    expect(amountOutlier(ruleContext(monitored({ type: 'deposit', amountMinor: '900000' }), usual), params)).toBeNull();
  });

  it('decides exactly above 2^53 minor units, where a double cannot tell the amounts apart', () => {
    // Median 2^53 + 1 with no spread: 4x it is the threshold; one minor unit less is not an outlier.
    const huge = profileAfter(usualPayments(5, '9007199254740993'));
    const justBelow = amountOutlier(ruleContext(monitored({ amountMinor: '36028797018963971' }), huge), params);
    const atThreshold = amountOutlier(ruleContext(monitored({ amountMinor: '36028797018963972' }), huge), params);
    expect(justBelow).toBeNull();
    expect(atThreshold?.detail).toBe(
      'Outgoing 360,287,970,189,639.72 EUR is 4.0x the usual 90,071,992,547,409.93 EUR (median of the last 5)',
    );
  });

  it('needs some history in that currency', () => {
    const short = profileAfter(usualPayments(params.minHistory - 1));
    expect(amountOutlier(ruleContext(monitored({ amountMinor: '900000' }), short), params)).toBeNull();
    expect(amountOutlier(ruleContext(monitored({ amountMinor: '900000', currency: 'USD' }), usual), params)).toBeNull();
  });

  it('is robust: one earlier huge amount does not make the usual amount huge', () => {
    const history = [...usualPayments(9), { amountMinor: '9000000', occurredAt: at(T0 - 5 * MINUTE) }];
    const hit = amountOutlier(ruleContext(monitored({ amountMinor: '300000' }), profileAfter(history)), params);
    expect(hit?.detail).toContain('usual 50.00 EUR');
  });

  it('leaves alone a payment of about what this counterparty was paid before (the monthly rent)', () => {
    const landlord = { id: 'DE-landlord', kind: 'bank_account' as const };
    const withRent = profileAfter([...usualPayments(10), { amountMinor: '120000', counterparty: landlord }]);
    expect(
      amountOutlier(ruleContext(monitored({ amountMinor: '120000', counterparty: landlord }), withRent), params),
    ).toBeNull();
    expect(
      amountOutlier(ruleContext(monitored({ amountMinor: '180000', counterparty: landlord }), withRent), params),
    ).toBeNull();
    expect(
      amountOutlier(ruleContext(monitored({ amountMinor: '400000', counterparty: landlord }), withRent), params),
    ).not.toBeNull();
    expect(amountOutlier(ruleContext(monitored({ amountMinor: '120000' }), withRent), params)).not.toBeNull();
  });

  it('asks for spread as well as ratio: a wide-ranging account needs a wider gap', () => {
    const wide = profileAfter(
      ['1000', '3000', '5000', '20000', '40000', '5000', '2000'].map((a) => ({ amountMinor: a })),
    );
    expect(amountOutlier(ruleContext(monitored({ amountMinor: '30000' }), wide), params)).toBeNull();
    expect(
      amountOutlier(ruleContext(monitored({ amountMinor: '30000' }), wide), { ...params, madMultiplier: 1 }),
    ).not.toBeNull();
  });
});
