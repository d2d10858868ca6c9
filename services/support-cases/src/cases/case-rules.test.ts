import { describe, expect, it } from 'vitest';
import { canChangeStatus, caseNumber, deadlines, morePressing, newBreaches, resumeAfterPause } from './case-rules';

const policy = {
  firstResponseMinutes: { P1: 15, P2: 60, P3: 240, P4: 1440 },
  resolutionMinutes: { P1: 240, P2: 1440, P3: 4320, P4: 10080 },
};
const t0 = new Date('2026-11-23T10:00:00Z');

describe('case rules', () => {
  it('computes the default SLA deadlines per priority', () => {
    expect(deadlines(t0, 'P1', policy)).toEqual({
      firstResponseDueAt: new Date('2026-11-23T10:15:00Z'),
      resolutionDueAt: new Date('2026-11-23T14:00:00Z'),
    });
    expect(deadlines(t0, 'P4', policy).resolutionDueAt).toEqual(new Date('2026-11-30T10:00:00Z'));
  });

  it('moves deadlines by the paused time, the first response only while it is still owed', () => {
    const due = deadlines(t0, 'P2', policy);
    const pausedAt = new Date('2026-11-23T10:30:00Z');
    const now = new Date('2026-11-23T11:00:00Z');
    expect(resumeAfterPause(due, pausedAt, now, false).firstResponseDueAt).toEqual(new Date('2026-11-23T11:30:00Z'));
    expect(resumeAfterPause(due, pausedAt, now, true).firstResponseDueAt).toEqual(due.firstResponseDueAt);
    expect(resumeAfterPause(due, pausedAt, now, true).resolutionDueAt).toEqual(new Date('2026-11-24T10:30:00Z'));
  });

  it('reports each breach once and none while paused or resolved', () => {
    const base = {
      status: 'open' as const,
      slaPausedAt: null,
      firstRespondedAt: null,
      ...deadlines(t0, 'P1', policy),
      firstResponseBreached: false,
      resolutionBreached: false,
    };
    const later = new Date('2026-11-23T15:00:00Z');
    expect(newBreaches(base, later)).toEqual(['first_response', 'resolution']);
    expect(newBreaches({ ...base, firstResponseBreached: true }, later)).toEqual(['resolution']);
    expect(newBreaches({ ...base, firstRespondedAt: t0 }, later)).toEqual(['resolution']);
    expect(newBreaches({ ...base, slaPausedAt: t0 }, later)).toEqual([]);
    expect(newBreaches({ ...base, status: 'resolved' }, later)).toEqual([]);
    expect(newBreaches(base, new Date('2026-11-23T10:10:00Z'))).toEqual([]);
  });

  it('allows only the listed status moves', () => {
    expect(canChangeStatus('new', 'open')).toBe(true);
    expect(canChangeStatus('open', 'pending_customer')).toBe(true);
    expect(canChangeStatus('pending_customer', 'open')).toBe(true);
    expect(canChangeStatus('resolved', 'closed')).toBe(true);
    expect(canChangeStatus('open', 'closed')).toBe(false);
    expect(canChangeStatus('closed', 'open')).toBe(false);
    expect(canChangeStatus('open', 'resolved')).toBe(false);
  });

  it('ranks P1 as most pressing and numbers cases as CASE-000123', () => {
    expect(morePressing('P3', 'P1')).toBe('P1');
    expect(morePressing('P2', 'P4')).toBe('P2');
    expect(caseNumber('123')).toBe('CASE-000123');
    expect(caseNumber(1234567)).toBe('CASE-1234567');
  });
});
