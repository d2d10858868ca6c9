import { z } from 'zod';
import { envelope, isoDateTime } from '../envelope';

export const CASE_TYPES = [
  'account_lockout',
  'account_frozen',
  'session_hijack_suspected',
  'cloned_authenticator_suspected',
  'suspected_theft',
  'customer_complaint',
  'customer_theft_report',
  'customer_question',
  'transaction_dispute',
  /** A network case (issue 17): a destination many accounts showing takeover signs pay; lists them all. */
  'mule_destination',
] as const;
export const caseType = z.enum(CASE_TYPES);
export type CaseType = z.infer<typeof caseType>;

export const CASE_STATUSES = ['new', 'open', 'pending_customer', 'escalated', 'resolved', 'closed'] as const;
export const caseStatus = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof caseStatus>;

export const CASE_PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export const casePriority = z.enum(CASE_PRIORITIES);
export type CasePriority = z.infer<typeof casePriority>;

export const CASE_OUTCOMES = [
  'confirmed_theft',
  'false_positive',
  'customer_error',
  'unlocked',
  'inconclusive',
  'self_unlocked',
] as const;
export const caseOutcome = z.enum(CASE_OUTCOMES);
export type CaseOutcome = z.infer<typeof caseOutcome>;

const caseRef = {
  caseId: z.uuid(),
  /** Human-friendly, e.g. CASE-000123. */
  caseNumber: z.string().regex(/^CASE-\d{6,}$/),
  caseType,
  status: caseStatus,
  priority: casePriority,
  /** The user's language when known, so the wallet can word its message. */
  locale: z.string().min(2).max(35).optional(),
};

export const caseOpened = envelope('case.opened', 1, z.object({ ...caseRef }));

/**
 * Field changes of a case. A merge announces one on each case: on the duplicate `status` (to `closed`) and
 * `mergedInto` (the survivor's id); on the survivor `mergedFrom` (the duplicate's id),
 * `occurrenceCount` and, when raised, `priority`.
 */
export const caseUpdated = envelope(
  'case.updated',
  1,
  z.object({
    ...caseRef,
    changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })).min(1),
  }),
);

/** Only customer-visible notes are announced; internal notes never leave the service. */
export const casePublicNoteAdded = envelope(
  'case.public_note_added',
  1,
  z.object({ ...caseRef, body: z.string().min(1).max(5000) }),
);

/**
 * `satisfaction`: the customer is asked to rate the case (1-5) until `expiresAt`; present on
 * customer-facing cases not rated before (absent from older producers: nothing is asked then).
 */
export const caseResolved = envelope(
  'case.resolved',
  1,
  z.object({ ...caseRef, outcome: caseOutcome, satisfaction: z.object({ expiresAt: isoDateTime }).optional() }),
);

export const caseReopened = envelope('case.reopened', 1, z.object({ ...caseRef }));

export const slaBreached = envelope(
  'sla.breached',
  1,
  z.object({ ...caseRef, sla: z.enum(['first_response', 'resolution']), dueAt: isoDateTime }),
);

/**
 * An urgent case (P1, P2) missed its first response and the SLA check sent it to the supervisors'
 * queue (`from`: its status before; already `escalated` when an agent had sent it there). For
 * on-call: `onCall.email` is the address support-cases is configured to alert (CASES_ONCALL_EMAIL),
 * absent when none is. Published once per breach.
 */
export const slaEscalated = envelope(
  'sla.escalated',
  1,
  z.object({
    ...caseRef,
    sla: z.literal('first_response'),
    dueAt: isoDateTime,
    from: caseStatus,
    queue: z.literal('supervisors'),
    onCall: z.object({ email: z.email() }).optional(),
  }),
);

export const caseEvent = z.discriminatedUnion('type', [
  caseOpened,
  caseUpdated,
  casePublicNoteAdded,
  caseResolved,
  caseReopened,
  slaBreached,
  slaEscalated,
]);
export type CaseEvent = z.infer<typeof caseEvent>;
