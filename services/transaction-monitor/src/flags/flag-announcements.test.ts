import { randomUUID } from 'node:crypto';
import { type TheftSuspected, TOPICS, type TransactionFlagged } from '@wallet-guard/contracts';
import type { OutboxMessage } from '@wallet-guard/messaging';
import { describe, expect, it } from 'vitest';
import { freezeRequestsFor } from '../auto-freeze/freeze-requests-repo';
import { flagAnnouncements } from './flag-announcements';
import type { FlagRecord } from './flag-record';

const accountId = randomUUID();
const payloadOf = <E extends { payload: unknown }>(messages: OutboxMessage[], index: number) =>
  (messages[index] as OutboxMessage).event as unknown as E;
const flag = (fields: Partial<FlagRecord>): FlagRecord => ({
  id: randomUUID(),
  transactionId: `tx-${randomUUID()}`,
  accountId,
  transactionType: 'withdrawal',
  amountMinor: '10000',
  currency: 'EUR',
  score: 0,
  decision: 'allow',
  shadowScore: 0,
  shadowDecision: 'allow',
  reasons: [],
  securityEventIds: [],
  rulesVersion: 'v1',
  listsVersion: 0,
  counterpartyKind: null,
  counterpartyId: null,
  occurredAt: new Date(),
  ...fields,
});

describe('flag announcements', () => {
  it('announces review and theft decisions, and nothing for allow', () => {
    const review = flag({ score: 40, decision: 'review', shadowScore: 40, shadowDecision: 'review' });
    const allow = flag({ score: 20, shadowScore: 20, reasons: [{ rule: 'balance_drain', points: 20, detail: 'd' }] });
    const messages = flagAnnouncements([review, allow]);
    expect(messages.map((m) => m.topic)).toEqual([TOPICS.transactionFlags]);
    expect(payloadOf<TransactionFlagged>(messages, 0).payload).toMatchObject({
      flagId: review.id,
      decision: 'review',
      score: 40,
      shadow: false,
    });
  });

  it('announces a flag only shadow rules lift as shadow, with the shadow score, and never as theft', () => {
    const shadowOnly = flag({
      score: 10,
      shadowScore: 80,
      shadowDecision: 'suspected_theft',
      reasons: [{ rule: 'velocity', points: 70, detail: 'd', shadow: true }],
    });
    const messages = flagAnnouncements([shadowOnly]);
    expect(messages).toHaveLength(1);
    expect(payloadOf<TransactionFlagged>(messages, 0).payload).toMatchObject({
      decision: 'suspected_theft',
      score: 80,
      shadow: true,
    });
    expect(freezeRequestsFor([shadowOnly])).toEqual([]);
  });

  it('announces theft once per account with every theft flag, its transactions and the security events', () => {
    const events = [randomUUID(), randomUUID(), randomUUID()];
    const first = flag({
      score: 75,
      decision: 'suspected_theft',
      securityEventIds: events.slice(0, 2),
      reasons: [
        { rule: 'after_security_change', points: 50, detail: 'a' },
        { rule: 'velocity', points: 30, detail: 'shadowed', shadow: true },
      ],
    });
    const second = flag({
      score: 90,
      decision: 'suspected_theft',
      securityEventIds: events.slice(1),
      reasons: [
        { rule: 'after_security_change', points: 45, detail: 'b' },
        { rule: 'balance_drain', points: 25, detail: 'c' },
      ],
    });
    const messages = flagAnnouncements([first, second]);
    expect(messages.map((m) => m.topic)).toEqual([
      TOPICS.transactionFlags,
      TOPICS.transactionFlags,
      TOPICS.theftSuspected,
    ]);
    const theft = payloadOf<TheftSuspected>(messages, 2).payload;
    expect(theft).toMatchObject({
      flagIds: [first.id, second.id],
      transactionIds: [first.transactionId, second.transactionId],
      securityEventIds: events,
      score: 90,
      reasons: [
        { rule: 'after_security_change', points: 50, detail: 'a' },
        { rule: 'balance_drain', points: 25, detail: 'c' },
      ],
    });
    expect(freezeRequestsFor([first, second])).toEqual([
      { accountId, flagId: first.id, reason: expect.stringContaining(first.id) },
    ]);
  });
});
