import type { WalletTransaction } from '@wallet-guard/contracts';
import { describe, expect, it } from 'vitest';
import { at, DAY, HOUR, monitored, profileAfter, ruleContext, shippedRules, T0 } from '../../testing/fixtures';
import { dormantReactivation } from './dormant-reactivation';

const params = shippedRules().dormant_reactivation;
type Counterparty = NonNullable<WalletTransaction['counterparty']>;
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

  describe('relative to the account (whatever the amount)', () => {
    const landlord = { id: 'DE-landlord', kind: 'bank_account' as const };
    const stranger = { id: 'bc1-thief', kind: 'crypto_address' as const };
    /** Three payments of `usualMinor` to the landlord, the last `daysAgo` days before T0. */
    const paidBefore = (daysAgo: number, usualMinor = '500') =>
      profileAfter(
        [3, 2, 1].map((h) => ({
          amountMinor: usualMinor,
          counterparty: landlord,
          occurredAt: at(T0 - daysAgo * DAY - h * HOUR),
        })),
      );
    const send = (amountMinor: string, balanceAfterMinor: string, counterparty: Counterparty = stranger) =>
      monitored({ type: 'transfer_out', amountMinor, balanceAfterMinor, counterparty });

    it('flags a 30.00 EUR drain of a 32.00 EUR dormant account to a new destination', () => {
      const hit = dormantReactivation(ruleContext(send('3000', '200'), paidBefore(120)), params);
      expect(hit?.detail).toBe(
        'Outgoing 30.00 EUR after 120 days without activity: 93.8% of the balance, 6.0x the usual 5.00 EUR, to a new destination',
      );
      expect(hit?.strength).toBeGreaterThan(0.85);
      expect(dormantReactivation(ruleContext(send('3200', '0'), paidBefore(120)), params)?.strength).toBe(1);
    });

    it('flags half the balance of a dormant account with no outgoing history at all, and cash withdrawals', () => {
      const savedOnly = profileAfter([{ type: 'deposit', amountMinor: '4000', occurredAt: at(T0 - 200 * DAY) }]);
      expect(dormantReactivation(ruleContext(send('2000', '2000'), savedOnly), params)?.detail).toBe(
        'Outgoing 20.00 EUR after 200 days without activity: 50% of the balance, to a new destination',
      );
      const cash = monitored({ type: 'withdrawal', amountMinor: '3000', balanceAfterMinor: '200' });
      expect(dormantReactivation(ruleContext(cash, paidBefore(120)), params)).not.toBeNull();
    });

    it('leaves alone a 30.00 EUR payment of a 5,000.00 EUR account, active or dormant with a usual 50.00', () => {
      expect(dormantReactivation(ruleContext(send('3000', '497000'), paidBefore(1)), params)).toBeNull();
      expect(dormantReactivation(ruleContext(send('3000', '497000'), paidBefore(120, '5000')), params)).toBeNull();
    });

    it('needs a new destination, a large share or multiple, and more than pennies', () => {
      expect(dormantReactivation(ruleContext(send('3000', '200', landlord), paidBefore(120)), params)).toBeNull();
      expect(dormantReactivation(ruleContext(send('1000', '2200'), paidBefore(120, '500')), params)).toBeNull();
      const pennies = profileAfter(
        [3, 2, 1].map((h) => ({ amountMinor: '10', occurredAt: at(T0 - 120 * DAY - h * HOUR) })),
      );
      expect(dormantReactivation(ruleContext(send('90', '5'), pennies), params)).toBeNull();
      expect(dormantReactivation(ruleContext(send('3000', '200'), paidBefore(89)), params)).toBeNull();
    });

    it('uses the share and multiple of the rules file', () => {
      const strict = { ...params, balanceFraction: 0.99, usualMultiple: 10 };
      expect(dormantReactivation(ruleContext(send('3000', '200'), paidBefore(120)), strict)).toBeNull();
    });
  });
});
