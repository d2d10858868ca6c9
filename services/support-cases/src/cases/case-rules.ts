// Pure rules of a case's life: which status may follow which, SLA deadlines, priorities,
// and which incident an event is. No I/O here.
import type { CaseOutcome, CasePriority, CaseStatus, CaseType } from '@wallet-guard/contracts';

export type { CaseOutcome, CasePriority, CaseStatus, CaseType };

export interface SlaPolicy {
  firstResponseMinutes: Record<CasePriority, number>;
  resolutionMinutes: Record<CasePriority, number>;
}

export const CLOSED_STATUSES: readonly CaseStatus[] = ['resolved', 'closed'];
export const isOpenStatus = (status: CaseStatus) => !CLOSED_STATUSES.includes(status);

/**
 * Status changes an agent may make with POST /status. Escalating, resolving and reopening have
 * their own actions (they carry a reason or an outcome), so they are not listed here.
 */
const MANUAL_TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  new: ['open', 'pending_customer'],
  open: ['pending_customer'],
  pending_customer: ['open'],
  escalated: ['open', 'pending_customer'],
  resolved: ['closed'],
  closed: [],
};

export function canChangeStatus(from: CaseStatus, to: CaseStatus): boolean {
  return MANUAL_TRANSITIONS[from].includes(to);
}

/** P1 is the most urgent. */
export const priorityRank = (p: CasePriority) => Number(p.slice(1));
export const morePressing = (a: CasePriority, b: CasePriority): CasePriority =>
  priorityRank(a) <= priorityRank(b) ? a : b;

export interface Deadlines {
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
}

/** Deadlines counted from when the case opened, plus any time it spent waiting for the customer. */
export function deadlines(openedAt: Date, priority: CasePriority, policy: SlaPolicy, pausedMs = 0): Deadlines {
  const minute = 60_000;
  return {
    firstResponseDueAt: new Date(openedAt.getTime() + policy.firstResponseMinutes[priority] * minute + pausedMs),
    resolutionDueAt: new Date(openedAt.getTime() + policy.resolutionMinutes[priority] * minute + pausedMs),
  };
}

/** Moves deadlines later by the time the clock stood still (pending_customer). */
export function resumeAfterPause(due: Deadlines, pausedAt: Date, now: Date, firstResponded: boolean): Deadlines {
  const paused = Math.max(0, now.getTime() - pausedAt.getTime());
  return {
    firstResponseDueAt: firstResponded ? due.firstResponseDueAt : new Date(due.firstResponseDueAt.getTime() + paused),
    resolutionDueAt: new Date(due.resolutionDueAt.getTime() + paused),
  };
}

export type Breach = 'first_response' | 'resolution';

/** Which SLAs a case has just broken (not counting ones already flagged, nor while paused). */
export function newBreaches(
  c: {
    status: CaseStatus;
    slaPausedAt: Date | null;
    firstRespondedAt: Date | null;
    firstResponseDueAt: Date;
    resolutionDueAt: Date;
    firstResponseBreached: boolean;
    resolutionBreached: boolean;
  },
  now: Date,
): Breach[] {
  if (!isOpenStatus(c.status) || c.slaPausedAt) return [];
  const breaches: Breach[] = [];
  if (!c.firstRespondedAt && !c.firstResponseBreached && c.firstResponseDueAt < now) breaches.push('first_response');
  if (!c.resolutionBreached && c.resolutionDueAt < now) breaches.push('resolution');
  return breaches;
}

export const caseNumber = (n: string | number) => `CASE-${String(n).padStart(6, '0')}`;

/** What an incident becomes: the case type, its priority and the key that deduplicates it. */
export interface IncidentKind {
  type: CaseType;
  priority: CasePriority;
  key: string;
  summary: string;
}

export const incidentKinds = {
  lockout: (accountId: string): IncidentKind => ({
    type: 'account_lockout',
    priority: 'P3',
    key: `lockout:${accountId}`,
    summary: 'Account locked after repeated failed sign-ins',
  }),
  frozen: (accountId: string): IncidentKind => ({
    type: 'account_frozen',
    priority: 'P1',
    key: `frozen:${accountId}`,
    summary: 'Account frozen',
  }),
  sessionHijack: (accountId: string): IncidentKind => ({
    type: 'session_hijack_suspected',
    priority: 'P2',
    key: `hijack:${accountId}`,
    summary: 'A used refresh token was presented again: session possibly stolen',
  }),
  theft: (accountId: string): IncidentKind => ({
    type: 'suspected_theft',
    priority: 'P1',
    key: `theft:${accountId}`,
    summary: 'Transactions look like account takeover or theft',
  }),
};

/**
 * Open cases a theft suspicion joins instead of opening its own: the agent working the
 * lockout (or freeze, or hijack) of that account should see the theft in the same case.
 */
export const theftJoins = (accountId: string) => [`lockout:${accountId}`, `frozen:${accountId}`, `hijack:${accountId}`];

export const CUSTOMER_CATEGORIES = ['complaint', 'theft_report', 'question', 'transaction_dispute'] as const;
export type CustomerCategory = (typeof CUSTOMER_CATEGORIES)[number];

/** A customer's request as a case; a theft report shares the account's theft incident. */
export function customerIncident(category: CustomerCategory, accountId: string, requestId: string): IncidentKind {
  switch (category) {
    case 'theft_report':
      return {
        type: 'customer_theft_report',
        priority: 'P1',
        key: `theft:${accountId}`,
        summary: 'Customer reports theft',
      };
    case 'transaction_dispute':
      return {
        type: 'transaction_dispute',
        priority: 'P2',
        key: `request:${requestId}`,
        summary: 'Customer disputes transactions',
      };
    case 'complaint':
      return { type: 'customer_complaint', priority: 'P3', key: `request:${requestId}`, summary: 'Customer complaint' };
    case 'question':
      return { type: 'customer_question', priority: 'P4', key: `request:${requestId}`, summary: 'Customer question' };
  }
}
