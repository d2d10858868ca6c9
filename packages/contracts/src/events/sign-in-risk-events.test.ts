import { describe, expect, it } from 'vitest';
import { securityEvent } from './security-events';

const base = {
  eventId: '0f8f7a2e-3c1b-4a55-9d8e-2b6c4e1f9a10',
  version: 1,
  occurredAt: '2026-11-30T10:00:00.000Z',
  producer: 'auth',
  accountId: '4b1e0c47-3a59-4d0c-9a41-5c2d1f0e8a11',
};

describe('sign_in.risk_assessed v1', () => {
  it('accepts a decision with its signals and policy version, and a context with a location', () => {
    const parsed = securityEvent.parse({
      ...base,
      type: 'sign_in.risk_assessed',
      payload: {
        decision: 'step_up',
        score: 65,
        signals: [
          { signal: 'new_country', points: 25, detail: 'first sign-in from JP' },
          { signal: 'impossible_travel', points: 40, detail: '9,712 km in 1 h (9,712 km/h)' },
        ],
        policyVersion: '2026-11-30.1',
        context: { ip: '203.0.113.9', country: 'JP', lat: 35.68, lon: 139.76 },
      },
    });
    expect(parsed.type).toBe('sign_in.risk_assessed');
    expect(parsed.payload.context).toEqual({ ip: '203.0.113.9', country: 'JP', lat: 35.68, lon: 139.76 });
  });

  it('refuses an unknown decision or signal, negative points, a missing version or a location off the globe', () => {
    const good = { decision: 'allow', score: 0, signals: [], policyVersion: 'v1' };
    const bad = [
      { ...good, decision: 'block' },
      { ...good, signals: [{ signal: 'moon_phase', points: 1, detail: '' }] },
      { ...good, signals: [{ signal: 'new_ip', points: -1, detail: '' }] },
      { ...good, policyVersion: '' },
      { ...good, score: 1.5 },
      { ...good, context: { lat: 91 } },
      { ...good, context: { lon: -181 } },
    ];
    for (const payload of bad) {
      expect(securityEvent.safeParse({ ...base, type: 'sign_in.risk_assessed', payload }).success).toBe(false);
    }
  });
});
