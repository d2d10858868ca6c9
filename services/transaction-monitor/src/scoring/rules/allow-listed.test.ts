import { describe, expect, it } from 'vitest';
import { type ListedEntry, listsSnapshot } from '../../lists/lists-snapshot';
import { scoreTransaction } from '../../scoring/score';
import {
  MINUTE,
  monitored,
  profileAfter,
  ruleContext,
  securityEntry,
  shippedRules,
  T0,
  usualPayments,
} from '../../testing/fixtures';
import { allowListed } from './allow-listed';

const rules = shippedRules();
const thresholds = { review: 30, theft: 70 };
const allow = (kind: ListedEntry['kind'], value: string): ListedEntry => ({
  id: `${kind}-${value}`,
  kind,
  value,
  action: 'allow',
  reason: 'known good',
  expiresAt: null,
});
const lists = listsSnapshot(5, [
  allow('counterparty', 'bank_account:DE-landlord'),
  allow('device', 'phone-2'),
  { id: 'b', kind: 'counterparty', value: 'bank_account:DE-mule', action: 'block', reason: 'mule', expiresAt: null },
]);
const history = profileAfter(usualPayments(10));
// A first large payment from a new device: new_counterparty_large + amount_outlier + new_device_or_country.
const large = (counterparty: string, deviceId = 'phone-1') =>
  monitored({
    type: 'transfer_out',
    amountMinor: '250000',
    counterparty: { id: counterparty, kind: 'bank_account' },
    context: { deviceId, country: 'DE' },
  });
const score = (tx: ReturnType<typeof monitored>, timeline = [] as ReturnType<typeof securityEntry>[]) =>
  scoreTransaction(ruleContext(tx, history, timeline, lists), rules, thresholds);
const rulesOf = (outcome: ReturnType<typeof score>) => outcome.reasons.map((r) => `${r.rule}:${r.points}`);

describe('allow_listed', () => {
  it('is a hit with counterpartyStrength for a payee and contextStrength for a device', () => {
    const params = rules.allow_listed;
    const ctx = (tx: ReturnType<typeof monitored>) => ruleContext(tx, history, [], lists);
    expect(allowListed(ctx(large('DE-landlord')), params)?.strength).toBe(params.counterpartyStrength);
    expect(allowListed(ctx(large('DE-new', 'phone-2')), params)?.strength).toBe(params.contextStrength);
    expect(allowListed(ctx(large('DE-new')), params)).toBeNull();
  });

  it('takes up to its weight off behavioural points, recorded as reason allow_listed', () => {
    const unlisted = score(large('DE-new'));
    const allowed = score(large('DE-landlord'));
    expect(unlisted.decision).toBe('review');
    const taken = Math.min(rules.allow_listed.weight, unlisted.score);
    expect(allowed.score).toBe(unlisted.score - taken);
    expect(allowed.decision).toBe(allowed.score >= 30 ? 'review' : 'allow');
    expect(rulesOf(allowed).at(-1)).toBe(`allow_listed:${taken}`);
    expect(allowed.reasons.at(-1)?.detail).toBe(
      `On the allow list (lists version 5): counterparty bank_account:DE-landlord ("known good"): ${taken} points taken off`,
    );
  });

  it('never takes off a block listing: an allowed device paying a blocked payee keeps the block points', () => {
    const outcome = score(large('DE-mule', 'phone-2'));
    const listed = outcome.reasons.find((r) => r.rule === 'listed_destination');
    expect(listed?.points).toBe(rules.listed_destination.weight);
    expect(outcome.score).toBeGreaterThanOrEqual(rules.listed_destination.weight);
    expect(outcome.decision).toBe('suspected_theft');
  });

  it('never hides a theft decision backed by the security timeline', () => {
    const timeline = [
      securityEntry('sign_in.succeeded', T0 - 30 * MINUTE, { newDevice: true }),
      securityEntry('totp.disabled', T0 - 12 * MINUTE),
    ];
    const unlisted = score(large('DE-new'), timeline);
    const allowed = score(large('DE-landlord'), timeline);
    expect(unlisted.decision).toBe('suspected_theft');
    expect(allowed.decision).toBe('suspected_theft');
    expect(allowed.score).toBe(Math.max(thresholds.theft, unlisted.score - rules.allow_listed.weight));
  });

  it('leaves a transaction no other rule hit alone: no reason, so no flag', () => {
    const small = monitored({
      amountMinor: '5000',
      counterparty: { id: 'grocer', kind: 'merchant' },
      context: { deviceId: 'phone-2', country: 'DE' },
    });
    const known = profileAfter(usualPayments(10, '5000', { context: { deviceId: 'phone-2', country: 'DE' } }));
    const outcome = scoreTransaction(ruleContext(small, known, [], lists), rules, thresholds);
    expect(outcome.reasons).toEqual([]);
  });
});
