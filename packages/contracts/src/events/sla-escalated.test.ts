import { describe, expect, it } from 'vitest';
import { caseEvent } from './cases';

const escalated = {
  eventId: '0f8f7a2e-3c1b-4a55-9d8e-2b6c4e1f9a10',
  type: 'sla.escalated',
  version: 1,
  occurredAt: '2026-11-30T10:16:00.000Z',
  producer: 'support-cases',
  accountId: '4b1e0c47-3a59-4d0c-9a41-5c2d1f0e8a11',
  payload: {
    caseId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
    caseNumber: 'CASE-000123',
    caseType: 'suspected_theft',
    status: 'escalated',
    priority: 'P1',
    sla: 'first_response',
    dueAt: '2026-11-30T10:15:00.000Z',
    from: 'new',
    queue: 'supervisors',
    onCall: { email: 'oncall@example.com' },
  },
};

describe('sla.escalated v1', () => {
  it('accepts an escalation with or without an on-call address', () => {
    expect(caseEvent.parse(escalated).type).toBe('sla.escalated');
    const { onCall: _, ...withoutAddress } = escalated.payload;
    expect(caseEvent.safeParse({ ...escalated, payload: withoutAddress }).success).toBe(true);
  });

  it('refuses a resolution breach, another queue, or an address that is not one', () => {
    for (const payload of [
      { ...escalated.payload, sla: 'resolution' },
      { ...escalated.payload, queue: 'agents' },
      { ...escalated.payload, onCall: { email: 'not an address' } },
    ]) {
      expect(caseEvent.safeParse({ ...escalated, payload }).success).toBe(false);
    }
  });
});
