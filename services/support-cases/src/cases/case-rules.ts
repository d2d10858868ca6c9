// Pure rules of a case's life: which status may follow which, SLA deadlines, priorities,
// and which incident an event is. No I/O here.
import type { CaseOutcome, CasePriority, CaseStatus, CaseType } from '@wallet-guard/contracts';
import { ALWAYS, addBusinessMs, businessMsBetween, type SlaCalendar } from '../sla/business-calendar';

export type { CaseOutcome, CasePriority, CaseStatus, CaseType };

export interface SlaPolicy {
  firstResponseMinutes: Record<CasePriority, number>;
  resolutionMinutes: Record<CasePriority, number>;
}

const CLOSED_STATUSES: readonly CaseStatus[] = ['resolved', 'closed'];
export const isOpenStatus = (status: CaseStatus) => !CLOSED_STATUSES.includes(status);

/**
 * Who moves a case: an agent, a supervisor, the service itself (self-unlock), or the customer,
 * whose reply is the one move they make (a case waiting for them goes back to work).
 */
export type TransitionActor = 'agent' | 'supervisor' | 'system' | 'customer';
/**
 * The route (or job) a move comes through: `status` is POST /status, `take` is an agent acting
 * on a new case (which opens it), `self_unlock` is the user unlocking their own account,
 * `customer_reply` is the customer's message on their case, `sla_breach` the SLA check sending an
 * urgent case whose first response is overdue to the supervisors, `merge` an agent closing a
 * duplicate into another case of the account (POST /merge).
 */
export type TransitionVia =
  | 'status'
  | 'take'
  | 'escalate'
  | 'resolve'
  | 'reopen'
  | 'self_unlock'
  | 'customer_reply'
  | 'sla_breach'
  | 'merge';

const AGENTS: readonly TransitionActor[] = ['agent', 'supervisor'];
const SUPERVISORS: readonly TransitionActor[] = ['supervisor'];

/**
 * The one state machine of a case: every move any route or job makes is listed here with who may
 * make it and through which action. Escalated cases are the supervisors' to move on (back to
 * work, waiting, or resolved); escalating, resolving and reopening carry a reason or an outcome,
 * so POST /status cannot do them.
 */
const TRANSITIONS: readonly {
  from: readonly CaseStatus[];
  to: CaseStatus;
  by: readonly TransitionActor[];
  via: readonly TransitionVia[];
}[] = [
  { from: ['new'], to: 'open', by: AGENTS, via: ['status', 'take'] },
  { from: ['new', 'open'], to: 'pending_customer', by: AGENTS, via: ['status'] },
  { from: ['pending_customer'], to: 'open', by: AGENTS, via: ['status'] },
  { from: ['pending_customer'], to: 'open', by: ['customer'], via: ['customer_reply'] },
  { from: ['new', 'open', 'pending_customer'], to: 'escalated', by: AGENTS, via: ['escalate'] },
  // A paused case breaches nothing, so only working cases escalate on a breach.
  { from: ['new', 'open'], to: 'escalated', by: ['system'], via: ['sla_breach'] },
  { from: ['escalated'], to: 'open', by: SUPERVISORS, via: ['status'] },
  { from: ['escalated'], to: 'pending_customer', by: SUPERVISORS, via: ['status'] },
  { from: ['new', 'open', 'pending_customer'], to: 'resolved', by: AGENTS, via: ['resolve'] },
  { from: ['escalated'], to: 'resolved', by: SUPERVISORS, via: ['resolve'] },
  { from: ['new', 'open'], to: 'resolved', by: ['system'], via: ['self_unlock'] },
  { from: ['resolved'], to: 'closed', by: AGENTS, via: ['status'] },
  { from: ['resolved', 'closed'], to: 'open', by: AGENTS, via: ['reopen'] },
  // A duplicate closes into its survivor; an escalated one is the supervisors' to merge.
  { from: ['new', 'open', 'pending_customer'], to: 'closed', by: AGENTS, via: ['merge'] },
  { from: ['escalated'], to: 'closed', by: SUPERVISORS, via: ['merge'] },
];

export type TransitionCheck =
  | { ok: true }
  /** No such move through this action, whoever asks. */
  | { ok: false; reason: 'invalid' }
  /** The move exists but needs another role (`roles` may make it). */
  | { ok: false; reason: 'forbidden'; roles: readonly TransitionActor[] };

/** May `actor` move a case from `from` to `to` through `via`? */
export function checkTransition(
  from: CaseStatus,
  to: CaseStatus,
  actor: TransitionActor,
  via: TransitionVia,
): TransitionCheck {
  const move = TRANSITIONS.find((t) => t.from.includes(from) && t.to === to && t.via.includes(via));
  if (!move) return { ok: false, reason: 'invalid' };
  if (!move.by.includes(actor)) return { ok: false, reason: 'forbidden', roles: move.by };
  return { ok: true };
}

/** Status changes `actor` may make with POST /status (kept for callers that only ask yes or no). */
export function canChangeStatus(from: CaseStatus, to: CaseStatus, actor: TransitionActor = 'supervisor'): boolean {
  return checkTransition(from, to, actor, 'status').ok;
}

/** P1 is the most urgent. */
const priorityRank = (p: CasePriority) => Number(p.slice(1));
export const morePressing = (a: CasePriority, b: CasePriority): CasePriority =>
  priorityRank(a) <= priorityRank(b) ? a : b;

export interface Deadlines {
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
}

/** One ended pause: `[from, to)`, of which `[from, owedUntil)` while the first response was owed. */
export interface SlaPause {
  from: Date;
  to: Date;
  owedUntil: Date;
}

/** How long a case's SLA clocks stood still (waiting for the customer). */
export interface SlaPauses {
  /** Real milliseconds in all (what a 24/7 calendar credits). */
  pausedMs: number;
  /** The part of `pausedMs` during which the first response was still owed. */
  firstResponsePausedMs: number;
  /**
   * The pauses themselves, which a business calendar credits only inside its hours. Cases opened
   * before calendars have none recorded; they are 24/7 and credited with `pausedMs`.
   */
  intervals: readonly SlaPause[];
}

const NO_PAUSES: SlaPauses = { pausedMs: 0, firstResponsePausedMs: 0, intervals: [] };

/** The calendar time of the pauses, in ms: what they add to the resolution and first-response clocks. */
function pauseCredit(calendar: SlaCalendar, pauses: SlaPauses): { resolution: number; firstResponse: number } {
  if (calendar === ALWAYS) return { resolution: pauses.pausedMs, firstResponse: pauses.firstResponsePausedMs };
  let resolution = 0;
  let firstResponse = 0;
  for (const p of pauses.intervals) {
    resolution += businessMsBetween(calendar, p.from, p.to);
    firstResponse += businessMsBetween(calendar, p.from, p.owedUntil);
  }
  return { resolution, firstResponse };
}

/**
 * The one way a case's deadlines are computed, on every path that sets them (opening, a priority
 * change, the end of a pause): from when it opened, the policy of its priority, the calendar that
 * priority counts in (24/7 unless given) and the time its clocks stood still, counted in that
 * calendar (a pause outside the calendar's hours credits nothing: that time never counted).
 * Never from the deadlines it had before, so no credit is lost or counted twice.
 */
export function deadlines(
  openedAt: Date,
  priority: CasePriority,
  policy: SlaPolicy,
  pauses: SlaPauses = NO_PAUSES,
  calendar: SlaCalendar = ALWAYS,
): Deadlines {
  const minute = 60_000;
  const credit = pauseCredit(calendar, pauses);
  return {
    firstResponseDueAt: addBusinessMs(
      calendar,
      openedAt,
      policy.firstResponseMinutes[priority] * minute + credit.firstResponse,
    ),
    resolutionDueAt: addBusinessMs(calendar, openedAt, policy.resolutionMinutes[priority] * minute + credit.resolution),
  };
}

/**
 * The pauses once a pause that began at `pausedAt` ends at `now`: all of it counts for the
 * resolution; for the first response only the part before the first response was given.
 */
export function endPause(
  c: {
    slaPausedMs: number;
    firstResponsePausedMs: number;
    firstRespondedAt: Date | null;
    slaPauses?: readonly SlaPause[];
  },
  pausedAt: Date,
  now: Date,
): SlaPauses {
  const paused = Math.max(0, now.getTime() - pausedAt.getTime());
  const owedUntil = c.firstRespondedAt ? Math.min(c.firstRespondedAt.getTime(), now.getTime()) : now.getTime();
  const whileOwed = Math.max(0, owedUntil - pausedAt.getTime());
  const pause: SlaPause = {
    from: pausedAt,
    to: new Date(pausedAt.getTime() + paused),
    owedUntil: new Date(pausedAt.getTime() + whileOwed),
  };
  return {
    pausedMs: c.slaPausedMs + paused,
    firstResponsePausedMs: c.firstResponsePausedMs + whileOwed,
    intervals: [...(c.slaPauses ?? []), pause],
  };
}

export type Breach = 'first_response' | 'resolution';

/**
 * Missing the first response of a case this urgent sends it to the supervisors' queue and alerts
 * on-call (`sla_breach` in the transitions); other breaches are flagged only.
 */
const ESCALATING_PRIORITIES: readonly CasePriority[] = ['P1', 'P2'];
export const escalatesOn = (priority: CasePriority, breach: Breach): boolean =>
  breach === 'first_response' && ESCALATING_PRIORITIES.includes(priority);

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
  /**
   * A passkey's signature counter went backwards: two authenticators hold one credential (W3C
   * WebAuthn Level 3 §6.1.1, "signature counter considerations"), so the key may have been copied.
   */
  clonedAuthenticator: (accountId: string): IncidentKind => ({
    type: 'cloned_authenticator_suspected',
    priority: 'P1',
    key: `cloned-passkey:${accountId}`,
    summary: "A passkey's signature counter went backwards: the passkey may have been copied",
  }),
  theft: (accountId: string): IncidentKind => ({
    type: 'suspected_theft',
    priority: 'P1',
    key: `theft:${accountId}`,
    summary: 'Transactions look like account takeover or theft',
  }),
  /** A network incident: one case per destination (`kind:id`) many accounts pay, whatever the account. */
  muleDestination: (incidentKey: string): IncidentKind => ({
    type: 'mule_destination',
    priority: 'P1',
    key: `mule:${incidentKey}`,
    summary: 'Many accounts showing takeover signs pay one destination (money mule suspected)',
  }),
};

/**
 * Open cases a theft suspicion joins instead of opening its own: the agent working the
 * lockout (or freeze, or hijack) of that account should see the theft in the same case.
 */
export const theftJoins = (accountId: string) => [
  `lockout:${accountId}`,
  `frozen:${accountId}`,
  `hijack:${accountId}`,
  `cloned-passkey:${accountId}`,
];

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
