import type { EventInputOf } from './registry';
import { TOPICS, type Topic } from './topics';

const accountId = '4b1e0c47-3a59-4d0c-9a41-5c2d1f0e8a11';
const base = { eventId: '0f8f7a2e-3c1b-4a55-9d8e-2b6c4e1f9a10', occurredAt: '2026-11-23T10:00:00.000Z', accountId };

/**
 * One valid example event per topic: used by the contract tests and shown in the docs, so a
 * reader sees a real message next to its schema.
 */
export const exampleEvents: { [T in Topic]: EventInputOf<T> } = {
  [TOPICS.walletTransactions]: {
    ...base,
    type: 'transaction.created',
    version: 1,
    producer: 'wallet',
    payload: {
      transactionId: 'tx-2026-000981',
      accountId,
      type: 'transfer_out',
      amountMinor: '125000',
      currency: 'EUR',
      balanceAfterMinor: '4300',
      counterparty: { id: 'DE89370400440532013000', kind: 'bank_account', country: 'DE' },
      channel: 'app',
      context: { ip: '203.0.113.9', deviceId: 'dev-7f3a', country: 'DE', lat: 52.52, lon: 13.405 },
      occurredAt: '2026-11-23T09:59:58.000Z',
    },
  },
  [TOPICS.securityEvents]: {
    ...base,
    type: 'account.locked',
    version: 1,
    producer: 'auth',
    payload: {
      reason: 'too_many_failures',
      lockedUntil: '2026-11-23T10:15:00.000Z',
      hard: false,
      failures: 5,
      lockCount: 1,
      lastIp: '198.51.100.23',
      context: { ip: '198.51.100.23', userAgent: 'WalletApp/5.2 (iOS 18)' },
    },
  },
  [TOPICS.notifications]: {
    ...base,
    type: 'notification.unlock_link',
    version: 1,
    producer: 'auth',
    payload: {
      email: 'ada@example.com',
      locale: 'en',
      token: 'ul_8sJ2kQ9vX1mN4pR7tY0wZ3bC6dF',
      expiresAt: '2026-11-23T11:00:00.000Z',
    },
  },
  [TOPICS.transactionFlags]: {
    ...base,
    type: 'transaction.flagged',
    version: 1,
    producer: 'transaction-monitor',
    payload: {
      flagId: '7d9c2b1a-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
      transactionId: 'tx-2026-000981',
      transactionType: 'transfer_out',
      amountMinor: '125000',
      currency: 'EUR',
      score: 82,
      decision: 'suspected_theft',
      reasons: [
        {
          rule: 'after_security_change',
          points: 40,
          detail: 'Outgoing 1,250.00 EUR 12 minutes after two-factor was disabled',
        },
        {
          rule: 'new_counterparty_large',
          points: 25,
          detail: 'First payment to this bank account, 29x the usual amount',
        },
      ],
      rulesVersion: '2026-11-01',
      shadow: false,
    },
  },
  [TOPICS.theftSuspected]: {
    ...base,
    type: 'theft.suspected',
    version: 1,
    producer: 'transaction-monitor',
    payload: {
      flagIds: ['7d9c2b1a-5e4f-4a3b-8c2d-1e0f9a8b7c6d'],
      transactionIds: ['tx-2026-000981'],
      securityEventIds: ['a3c9e8f1-2b4d-4c6e-8f0a-1b3d5f7e9c2a'],
      score: 82,
      reasons: [
        { rule: 'after_security_change', points: 40, detail: 'Outgoing 12 minutes after two-factor was disabled' },
      ],
      rulesVersion: '2026-11-01',
    },
  },
  [TOPICS.muleDestinations]: {
    ...base,
    type: 'mule_destination.detected',
    version: 1,
    producer: 'transaction-monitor',
    payload: {
      incidentKey: 'crypto_address:bc1qmule0000example',
      destination: { kind: 'crypto_address', id: 'bc1qmule0000example' },
      revision: 1,
      incidentOpenedAt: '2026-11-23T10:00:00.000Z',
      window: { hours: 24, newPayers: 4, newPayersWithSigns: 3 },
      listedHours: 168,
      accounts: [
        {
          accountId,
          firstPaidAt: '2026-11-23T09:40:00.000Z',
          lastPaidAt: '2026-11-23T09:52:00.000Z',
          payments: 2,
          amounts: [{ amountMinor: '182000', currency: 'EUR' }],
          securityChangeAt: '2026-11-23T09:31:00.000Z',
          flaggedAt: '2026-11-23T09:52:00.000Z',
          decision: 'suspected_theft',
          maxScore: 85,
          flagIds: ['7d9c2b1a-5e4f-4a3b-8c2d-1e0f9a8b7c6d'],
        },
      ],
      received: [{ amountMinor: '182000', currency: 'EUR' }],
      rulesVersion: '2026-11-01',
    },
  },
  [TOPICS.caseEvents]: {
    ...base,
    type: 'case.opened',
    version: 1,
    producer: 'support-cases',
    payload: {
      caseId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
      caseNumber: 'CASE-000123',
      caseType: 'account_lockout',
      status: 'new',
      priority: 'P3',
      locale: 'en',
    },
  },
};
