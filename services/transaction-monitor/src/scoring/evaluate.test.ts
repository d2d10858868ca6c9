import { describe, expect, it } from 'vitest';
import { counterpartyKey } from '../profiles/profile-state';
import { at, MINUTE, monitored, securityEntry, shippedRules, T0 } from '../testing/fixtures';
import { evaluateInOrder } from './evaluate';

const accountId = '4b1e0c47-3a59-4d0c-9a41-5c2d1f0e8a11';
const thresholds = { review: 30, theft: 70 };
const empty = { profiles: new Map(), counterparties: new Map(), timelines: new Map() };

describe('evaluating in partition order', () => {
  it('scores each transaction against the state the previous ones left, and learns the counterparties paid', () => {
    const shop = { id: 'shop', kind: 'merchant' as const };
    const txs = [0, 1, 2, 3, 4, 5].map((i) =>
      monitored({ accountId, amountMinor: '1000', counterparty: shop, occurredAt: at(T0 + i * MINUTE) }),
    );
    const { evaluated, profiles, counterparties } = evaluateInOrder(txs, empty, shippedRules(), thresholds);
    expect(evaluated.map((e) => e.outcome.reasons.map((r) => r.rule))).toEqual([[], [], [], [], [], ['velocity']]);
    expect(profiles.get(accountId)?.transactionCount).toBe(6);
    expect(counterparties).toEqual(
      new Map([[counterpartyKey(accountId, 'merchant:shop'), { since: T0, last: '1000' }]]),
    );
  });

  it('learns nothing of the counterparty of a transaction decided suspected_theft', () => {
    const thief = { id: 'bc1-thief', kind: 'crypto_address' as const };
    const timeline = [
      securityEntry('sign_in.succeeded', T0 - 20 * MINUTE, { newDevice: true }),
      securityEntry('totp.disabled', T0 - 10 * MINUTE),
    ];
    const tx = monitored({
      accountId,
      type: 'withdrawal',
      amountMinor: '500000',
      balanceAfterMinor: '0',
      counterparty: thief,
    });
    const result = evaluateInOrder(
      [tx],
      { ...empty, timelines: new Map([[accountId, timeline]]) },
      shippedRules(),
      thresholds,
    );
    expect(result.evaluated[0]?.outcome.decision).toBe('suspected_theft');
    expect(result.counterparties.size).toBe(0);
    expect(result.profiles.get(accountId)?.state.recent).toHaveLength(1);
  });
});
