import { describe, expect, it } from 'vitest';
import { notification } from './notifications';

const base = {
  eventId: '6f2d8a41-9c3b-4e57-8a10-2b4c6d8e0f13',
  type: 'notification.lockout_final_warning',
  version: 1,
  occurredAt: '2026-11-30T10:00:00.000Z',
  producer: 'auth',
  accountId: '4b1e0c47-3a59-4d0c-9a41-5c2d1f0e8a11',
};
const payload = {
  email: 'ada@example.com',
  locale: 'en',
  token: 'ul_8sJ2kQ9vX1mN4pR7tY0wZ3bC6dF',
  expiresAt: '2026-11-30T11:00:00.000Z',
  lockedUntil: '2026-11-30T10:30:00.000Z',
  failures: 5,
};

describe('notification.lockout_final_warning v1', () => {
  it('accepts the unlock token with its expiry, the end of the temporary block and the failures that led to it', () => {
    const parsed = notification.parse({ ...base, payload });
    expect(parsed.type).toBe('notification.lockout_final_warning');
    expect(parsed.payload).toEqual(payload);
  });

  it('refuses a missing or short token, a block without an end, and a count that is not a positive whole number', () => {
    const bad = [
      { ...payload, token: undefined },
      { ...payload, token: 'ul_short' },
      { ...payload, lockedUntil: null },
      { ...payload, lockedUntil: 'in half an hour' },
      { ...payload, failures: 0 },
      { ...payload, failures: 2.5 },
      { ...payload, email: 'not-an-email' },
    ];
    for (const p of bad) expect(notification.safeParse({ ...base, payload: p }).success).toBe(false);
  });
});
