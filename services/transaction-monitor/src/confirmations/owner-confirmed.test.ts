import { describe, expect, it } from 'vitest';
import { OWNER_CONFIRMED, scoreTransaction } from '../scoring/score';
import { needsConfirmation } from '../scoring/score-proposal';
import {
  HOUR,
  MINUTE,
  monitored,
  profileAfter,
  ruleContext,
  securityEntry,
  shippedRules,
  T0,
  usualPayments,
} from '../testing/fixtures';

const thresholds = { review: 30, theft: 70 };
const passkey = { confirmationId: '6f1c0d4e-9a57-4c2b-8e3f-1a2b3c4d5e6f', phishingResistant: true };
const code = { ...passkey, phishingResistant: false };

// A takeover: 2FA off 12 minutes ago, a large first payment from a new device draining the account.
const takeover = () =>
  ruleContext(
    monitored({
      type: 'withdrawal',
      amountMinor: '480000',
      balanceAfterMinor: '2000',
      counterparty: { id: 'bc1-new', kind: 'crypto_address' },
      context: { deviceId: 'new-laptop', country: 'DE' },
    }),
    profileAfter(usualPayments(10)),
    [
      securityEntry('sign_in.succeeded', T0 - 30 * MINUTE, { newDevice: true }),
      securityEntry('totp.disabled', T0 - 12 * MINUTE),
    ],
  );

// The owner splitting a large sum under the reporting threshold: structuring, which is not a theft signal.
const structuring = () => {
  const earlier = [3, 2].map((h) => ({
    type: 'transfer_out' as const,
    amountMinor: '980000',
    occurredAt: new Date(T0 - h * HOUR).toISOString(),
    counterparty: { id: 'grocer-17', kind: 'merchant' as const },
  }));
  return ruleContext(
    monitored({ type: 'transfer_out', amountMinor: '990000', counterparty: { id: 'grocer-17', kind: 'merchant' } }),
    profileAfter(earlier),
  );
};

describe('owner_confirmed', () => {
  it('takes every theft-signal point off for a passkey, half for an authenticator code, and says so', () => {
    const plain = scoreTransaction(takeover(), shippedRules(), thresholds);
    expect(plain).toMatchObject({ score: 100, decision: 'suspected_theft' });
    const byPasskey = scoreTransaction(takeover(), shippedRules(), thresholds, passkey);
    expect(byPasskey).toMatchObject({ score: 0, decision: 'allow', shadowScore: 0, shadowDecision: 'allow' });
    expect(byPasskey.reasons.at(-1)).toEqual({
      rule: OWNER_CONFIRMED,
      points: 100,
      detail: `The account owner confirmed this payment with a passkey (confirmation ${passkey.confirmationId}): 100 points taken off`,
    });
    // The rules' own reasons stay, so an agent still sees what looked wrong.
    expect(byPasskey.reasons.slice(0, -1)).toEqual(plain.reasons);

    const byCode = scoreTransaction(takeover(), shippedRules(), thresholds, code);
    const theftPoints = plain.reasons.reduce((sum, r) => sum + r.points, 0);
    const taken = Math.min(100, Math.round(theftPoints / 2));
    expect(byCode.reasons.at(-1)).toMatchObject({ rule: OWNER_CONFIRMED, points: taken });
    expect(byCode.score).toBe(100 - taken);
  });

  it("keeps the owner's own structuring points: a confirmation does not explain laundering", () => {
    const plain = scoreTransaction(structuring(), shippedRules(), thresholds);
    expect(plain.reasons.map((r) => r.rule)).toContain('structuring');
    const confirmed = scoreTransaction(structuring(), shippedRules(), thresholds, passkey);
    const structuringPoints = plain.reasons.find((r) => r.rule === 'structuring')?.points ?? 0;
    expect(structuringPoints).toBeGreaterThan(0);
    expect(confirmed.score).toBe(Math.min(100, structuringPoints));
    expect(confirmed.decision).toBe(plain.decision === 'allow' ? 'allow' : 'review');
  });

  it('never raises a score or a decision, whatever the transaction', () => {
    const rank = { allow: 0, review: 1, suspected_theft: 2 } as const;
    const contexts = [
      takeover(),
      structuring(),
      ruleContext(monitored({ counterparty: { id: 'grocer', kind: 'merchant' } }), profileAfter(usualPayments(10))),
      ruleContext(monitored({ type: 'deposit' }), profileAfter([])),
    ];
    for (const ctx of contexts) {
      const plain = scoreTransaction(ctx, shippedRules(), thresholds);
      for (const confirmation of [passkey, code]) {
        const confirmed = scoreTransaction(ctx, shippedRules(), thresholds, confirmation);
        expect(confirmed.score).toBeLessThanOrEqual(plain.score);
        expect(confirmed.shadowScore).toBeLessThanOrEqual(plain.shadowScore);
        expect(rank[confirmed.decision]).toBeLessThanOrEqual(rank[plain.decision]);
        expect(confirmed.reasons.filter((r) => r.rule === OWNER_CONFIRMED)).toHaveLength(1);
      }
    }
  });

  it('records a confirmed clean payment too, with no points taken', () => {
    const ctx = ruleContext(
      monitored({ counterparty: { id: 'grocer', kind: 'merchant' }, context: { deviceId: 'phone-1', country: 'DE' } }),
      profileAfter(usualPayments(10)),
    );
    const confirmed = scoreTransaction(ctx, shippedRules(), thresholds, passkey);
    expect(confirmed).toMatchObject({ score: 0, decision: 'allow' });
    expect(confirmed.reasons).toEqual([expect.objectContaining({ rule: OWNER_CONFIRMED, points: 0 })]);
  });

  it('asks for a confirmation from the configured decision, and never once confirmed', () => {
    expect(needsConfirmation('allow', false, 'review')).toBe(false);
    expect(needsConfirmation('review', false, 'review')).toBe(true);
    expect(needsConfirmation('suspected_theft', false, 'review')).toBe(true);
    expect(needsConfirmation('review', false, 'block')).toBe(false);
    expect(needsConfirmation('suspected_theft', false, 'block')).toBe(true);
    expect(needsConfirmation('suspected_theft', false, 'never')).toBe(false);
    expect(needsConfirmation('suspected_theft', true, 'review')).toBe(false);
  });
});
