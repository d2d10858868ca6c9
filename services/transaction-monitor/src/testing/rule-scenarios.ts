// One end-to-end scenario per rule: what happened before (security events, transactions) and the
// transaction that must be flagged by that rule.
import type { SecurityEvent, WalletTransaction } from '@wallet-guard/contracts';
import type { RuleName } from '../scoring/rules-file';
import { at, DAY, HOUR, MINUTE, walletTx } from './fixtures';
import { securityEvent } from './harness';

export interface RuleScenario {
  rule: RuleName;
  security: SecurityEvent[];
  history: WalletTransaction[];
  trigger: WalletTransaction;
}

const grocer = { id: 'grocer-17', kind: 'merchant' as const };
const home = { deviceId: 'phone-1', country: 'DE', lat: 52.52, lon: 13.405 };

export function ruleScenarios(now: number, newAccount: () => string): RuleScenario[] {
  const scenario = (
    rule: RuleName,
    build: (
      tx: (fields: Partial<WalletTransaction>) => WalletTransaction,
      accountId: string,
    ) => Omit<RuleScenario, 'rule'>,
  ): RuleScenario => {
    const accountId = newAccount();
    return {
      rule,
      ...build((fields) => walletTx({ accountId, counterparty: grocer, context: home, ...fields }), accountId),
    };
  };
  const hoursAgo = (h: number) => at(now - h * HOUR);
  const minutesAgo = (m: number) => at(now - m * MINUTE);
  return [
    scenario('amount_outlier', (tx) => ({
      security: [],
      history: [5, 4, 3, 2, 1, 0.5].map((h) => tx({ amountMinor: '5000', occurredAt: hoursAgo(h) })),
      trigger: tx({ amountMinor: '250000', occurredAt: at(now) }),
    })),
    scenario('velocity', (tx) => ({
      security: [],
      history: [6, 5, 4, 3, 2].map((m) => tx({ amountMinor: '1000', occurredAt: minutesAgo(m) })),
      trigger: tx({ amountMinor: '1000', occurredAt: at(now) }),
    })),
    scenario('new_counterparty_large', (tx) => ({
      security: [],
      history: [tx({ occurredAt: hoursAgo(3) })],
      trigger: tx({
        type: 'transfer_out',
        amountMinor: '200000',
        counterparty: { id: 'DE-other', kind: 'bank_account' },
        occurredAt: at(now),
      }),
    })),
    scenario('after_security_change', (tx, accountId) => ({
      security: [securityEvent('password.reset', accountId, minutesAgo(10))],
      history: [],
      trigger: tx({ type: 'withdrawal', amountMinor: '10000', occurredAt: at(now) }),
    })),
    scenario('balance_drain', (tx) => ({
      security: [],
      history: [],
      trigger: tx({ type: 'withdrawal', amountMinor: '90000', balanceAfterMinor: '5000', occurredAt: at(now) }),
    })),
    scenario('impossible_travel', (tx) => ({
      security: [],
      history: [tx({ occurredAt: minutesAgo(30) })],
      trigger: tx({ occurredAt: at(now), context: { ...home, lat: 40.4168, lon: -3.7038 } }),
    })),
    scenario('new_device_or_country', (tx) => ({
      security: [],
      history: [tx({ occurredAt: hoursAgo(5) })],
      trigger: tx({ occurredAt: at(now), context: { deviceId: 'laptop-x', country: 'BR' } }),
    })),
    scenario('test_then_large', (tx) => ({
      security: [],
      history: [20, 19, 18].map((m) => tx({ amountMinor: '100', occurredAt: minutesAgo(m) })),
      trigger: tx({ amountMinor: '50000', occurredAt: at(now) }),
    })),
    scenario('structuring', (tx) => ({
      security: [],
      history: [3, 2].map((h) => tx({ type: 'transfer_out', amountMinor: '980000', occurredAt: hoursAgo(h) })),
      trigger: tx({ type: 'transfer_out', amountMinor: '990000', occurredAt: at(now) }),
    })),
    scenario('dormant_reactivation', (tx) => ({
      security: [],
      history: [tx({ type: 'deposit', occurredAt: at(now - 120 * DAY) })],
      trigger: tx({ type: 'withdrawal', amountMinor: '80000', occurredAt: at(now) }),
    })),
    // Relative to the account: a forgotten account that paid 5.00 at a time, emptied of 32.00.
    scenario('dormant_reactivation', (tx) => ({
      security: [],
      history: [
        tx({ type: 'deposit', amountMinor: '5000', balanceAfterMinor: '5000', occurredAt: at(now - 121 * DAY) }),
        ...[3, 2, 1].map((h) =>
          tx({
            amountMinor: '500',
            balanceAfterMinor: String(3200 + (h - 1) * 500),
            occurredAt: at(now - 120 * DAY - h * HOUR),
          }),
        ),
      ],
      trigger: tx({
        type: 'transfer_out',
        amountMinor: '3000',
        balanceAfterMinor: '200',
        counterparty: { id: 'bc1q-dormant-thief', kind: 'crypto_address' },
        occurredAt: at(now),
      }),
    })),
  ];
}
