import { describe, expect, it } from 'vitest';
import { notification } from './notifications';

const base = {
  eventId: '3a0c9e51-7b2d-4c8e-9f10-6d5e4c3b2a19',
  type: 'notification.sign_in_code',
  version: 1,
  occurredAt: '2026-11-30T10:00:00.000Z',
  producer: 'auth',
  accountId: '4b1e0c47-3a59-4d0c-9a41-5c2d1f0e8a11',
};
const payload = {
  email: 'li@example.com',
  locale: 'zh-CN',
  code: '042917',
  expiresAt: '2026-11-30T10:10:00.000Z',
  freezeToken: 'frz_0123456789abcdefghijklmnop',
  freezeTokenExpiresAt: '2026-12-07T10:00:00.000Z',
  context: { ip: '203.0.113.7', country: 'SG' },
};

describe('notification.sign_in_code v1', () => {
  it('accepts a 6-digit code with its expiry, the freeze link and where the sign-in comes from (context defaults to {})', () => {
    const parsed = notification.parse({ ...base, payload });
    expect(parsed.type).toBe('notification.sign_in_code');
    expect(parsed.payload).toEqual(payload);
    const { context: _context, ...withoutContext } = payload;
    expect((notification.parse({ ...base, payload: withoutContext }).payload as { context: object }).context).toEqual(
      {},
    );
  });

  it('refuses a code that is not 6 digits, a missing freeze token or expiry', () => {
    const bad = [
      { ...payload, code: '12345' },
      { ...payload, code: '1234567' },
      { ...payload, code: '12a456' },
      { ...payload, code: 123456 },
      { ...payload, freezeToken: undefined },
      { ...payload, expiresAt: 'tomorrow' },
    ];
    for (const p of bad) expect(notification.safeParse({ ...base, payload: p }).success).toBe(false);
  });
});
