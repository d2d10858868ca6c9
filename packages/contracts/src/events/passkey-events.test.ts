import { describe, expect, it } from 'vitest';
import { securityEvent } from './security-events';

const base = {
  eventId: '0f8f7a2e-3c1b-4a55-9d8e-2b6c4e1f9a10',
  version: 1,
  occurredAt: '2026-11-29T10:00:00.000Z',
  producer: 'auth',
  accountId: '4b1e0c47-3a59-4d0c-9a41-5c2d1f0e8a11',
};
const passkeyId = '7d9c2b1a-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

describe('passkey security events v1', () => {
  it('accepts registered, removed, counter_regressed and a wrong_passkey failure (context defaults to {})', () => {
    const events = [
      {
        type: 'passkey.registered',
        payload: {
          passkeyId,
          name: 'Work laptop',
          aaguid: '00000000-0000-0000-0000-000000000000',
          deviceType: 'multiDevice',
        },
      },
      { type: 'passkey.removed', payload: { passkeyId, name: 'Work laptop' } },
      { type: 'passkey.counter_regressed', payload: { passkeyId, storedCounter: 12, presentedCounter: 3 } },
      { type: 'sign_in.failed', payload: { reason: 'wrong_passkey', failures: 2 } },
    ];
    for (const event of events) {
      const parsed = securityEvent.parse({ ...base, ...event });
      expect([parsed.type, (parsed.payload as { context: object }).context]).toEqual([event.type, {}]);
    }
  });

  it('refuses a device type, counter or id that is not one', () => {
    const bad = [
      { type: 'passkey.registered', payload: { passkeyId, name: 'x', aaguid: 'x', deviceType: 'laptop' } },
      { type: 'passkey.removed', payload: { passkeyId: 'not-a-uuid', name: 'x' } },
      { type: 'passkey.counter_regressed', payload: { passkeyId, storedCounter: -1, presentedCounter: 0 } },
      { type: 'passkey.counter_regressed', payload: { passkeyId, storedCounter: 1.5, presentedCounter: 0 } },
      { type: 'sign_in.failed', payload: { reason: 'wrong_fingerprint', failures: 1 } },
    ];
    for (const event of bad) expect(securityEvent.safeParse({ ...base, ...event }).success).toBe(false);
  });
});
