import { describe, expect, it } from 'vitest';
import { at, HOUR, monitored, profileAfter, ruleContext, shippedRules, T0 } from '../../testing/fixtures';
import { structuring } from './structuring';

const params = shippedRules().structuring;
const earlier = (amounts: string[], gapMs = 2 * HOUR) =>
  profileAfter(
    amounts.map((amountMinor, i) => ({
      type: 'transfer_out' as const,
      amountMinor,
      occurredAt: at(T0 - (amounts.length - i) * gapMs),
    })),
  );
const transfer = (amountMinor: string) => monitored({ type: 'transfer_out', amountMinor });

describe('structuring', () => {
  it('fires on the third amount just below the reporting threshold within 24 hours', () => {
    const hit = structuring(ruleContext(transfer('985000'), earlier(['950000', '990000'])), params);
    expect(hit?.detail).toBe('3 amounts just below 10,000.00 EUR within 24 hours');
    expect(hit?.strength).toBe(0.5);
  });

  it('stays quiet for two, for amounts at or above the threshold or well below it, and outside the window', () => {
    expect(structuring(ruleContext(transfer('985000'), earlier(['950000'])), params)).toBeNull();
    expect(structuring(ruleContext(transfer('1000000'), earlier(['950000', '990000'])), params)).toBeNull();
    expect(structuring(ruleContext(transfer('985000'), earlier(['500000', '990000'])), params)).toBeNull();
    expect(structuring(ruleContext(transfer('985000'), earlier(['950000', '990000'], 13 * HOUR)), params)).toBeNull();
  });

  it('counts per currency, with the currency threshold of the rules file', () => {
    expect(
      structuring(
        ruleContext(monitored({ amountMinor: '985000', currency: 'USD' }), earlier(['950000', '990000'])),
        params,
      ),
    ).toBeNull();
    const jpy = profileAfter(
      ['1400000', '1450000'].map((amountMinor, i) => ({
        amountMinor,
        currency: 'JPY',
        occurredAt: at(T0 - (i + 1) * HOUR),
      })),
    );
    expect(
      structuring(ruleContext(monitored({ amountMinor: '1490000', currency: 'JPY' }), jpy), params),
    ).not.toBeNull();
  });
});
