import { CASE_STATUSES } from '@wallet-guard/contracts';
import { describe, expect, it } from 'vitest';
import {
  canChangeStatus,
  caseNumber,
  checkTransition,
  deadlines,
  endPause,
  morePressing,
  newBreaches,
  type TransitionActor,
  type TransitionVia,
} from './case-rules';

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
    const unanswered = { slaPausedMs: 0, firstResponsePausedMs: 0, firstRespondedAt: null };
    const answered = { ...unanswered, firstRespondedAt: t0 };
    expect(deadlines(t0, 'P2', policy, endPause(unanswered, pausedAt, now)).firstResponseDueAt).toEqual(
      new Date('2026-11-23T11:30:00Z'),
    );
    expect(deadlines(t0, 'P2', policy, endPause(answered, pausedAt, now)).firstResponseDueAt).toEqual(
      due.firstResponseDueAt,
    );
    expect(deadlines(t0, 'P2', policy, endPause(answered, pausedAt, now)).resolutionDueAt).toEqual(
      new Date('2026-11-24T10:30:00Z'),
    );
    // Answered ten minutes into the pause: only those ten minutes count for the first response.
    const midway = { ...unanswered, firstRespondedAt: new Date('2026-11-23T10:40:00Z') };
    expect(endPause(midway, pausedAt, now)).toEqual({
      pausedMs: 30 * 60_000,
      firstResponsePausedMs: 10 * 60_000,
      intervals: [{ from: pausedAt, to: now, owedUntil: new Date('2026-11-23T10:40:00Z') }],
    });
    // Pauses add up.
    expect(endPause({ ...answered, slaPausedMs: 5_000 }, pausedAt, now).pausedMs).toBe(5_000 + 30 * 60_000);
  });

  it('keeps the time spent waiting when the priority changes (deadlines derive from policy plus pauses)', () => {
    // P3 waited 6 s on the customer, then a theft joined and raised it to P1.
    const pauses = endPause(
      { slaPausedMs: 0, firstResponsePausedMs: 0, firstRespondedAt: t0 },
      new Date('2026-11-23T10:01:00Z'),
      new Date('2026-11-23T10:01:06Z'),
    );
    expect(deadlines(t0, 'P3', policy, pauses).resolutionDueAt).toEqual(new Date('2026-11-26T10:00:06Z'));
    expect(deadlines(t0, 'P1', policy, pauses).resolutionDueAt).toEqual(new Date('2026-11-23T14:00:06Z'));
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

  it('has one state machine: escalated cases move only by supervisors, customers only answer a case waiting for them, the system only self-unlocks and escalates a breach', () => {
    const vias: TransitionVia[] = [
      'status',
      'take',
      'escalate',
      'resolve',
      'reopen',
      'self_unlock',
      'customer_reply',
      'sla_breach',
    ];
    const actors: TransitionActor[] = ['agent', 'supervisor', 'system', 'customer'];
    for (const from of CASE_STATUSES) {
      for (const to of CASE_STATUSES) {
        for (const via of vias) {
          const byActor = Object.fromEntries(actors.map((a) => [a, checkTransition(from, to, a, via).ok]));
          const move = `${from} -> ${to} via ${via}`;
          if (from === 'escalated') expect([move, byActor.agent]).toEqual([move, false]);
          expect([move, byActor.customer]).toEqual([move, move === 'pending_customer -> open via customer_reply']);
          if (via === 'customer_reply') expect([move, byActor.agent, byActor.system]).toEqual([move, false, false]);
          if (byActor.system)
            expect(move).toMatch(/^(new|open) -> (resolved via self_unlock|escalated via sla_breach)$/);
          if (via === 'sla_breach') expect([move, byActor.agent, byActor.supervisor]).toEqual([move, false, false]);
          // Whatever an agent may do, a supervisor may too.
          if (byActor.agent) expect([move, byActor.supervisor]).toEqual([move, true]);
        }
      }
    }
    expect(checkTransition('escalated', 'open', 'agent', 'status')).toEqual({
      ok: false,
      reason: 'forbidden',
      roles: ['supervisor'],
    });
    expect(checkTransition('escalated', 'resolved', 'supervisor', 'resolve')).toEqual({ ok: true });
    expect(checkTransition('resolved', 'open', 'agent', 'status')).toEqual({ ok: false, reason: 'invalid' });
    expect(checkTransition('escalated', 'escalated', 'agent', 'escalate')).toEqual({ ok: false, reason: 'invalid' });
    // A paused case breaches nothing; an escalated one is already the supervisors'.
    expect(checkTransition('open', 'escalated', 'system', 'sla_breach')).toEqual({ ok: true });
    expect(checkTransition('pending_customer', 'escalated', 'system', 'sla_breach').ok).toBe(false);
    expect(checkTransition('escalated', 'escalated', 'system', 'sla_breach').ok).toBe(false);
  });

  it('ranks P1 as most pressing and numbers cases as CASE-000123', () => {
    expect(morePressing('P3', 'P1')).toBe('P1');
    expect(morePressing('P2', 'P4')).toBe('P2');
    expect(caseNumber('123')).toBe('CASE-000123');
    expect(caseNumber(1234567)).toBe('CASE-1234567');
  });
});
