import { z } from 'zod';
import { envelope, isoDateTime } from '../envelope';

export const CASE_TYPES = [
  'account_lockout',
  'account_frozen',
  'session_hijack_suspected',
  'suspected_theft',
  'customer_complaint',
  'customer_theft_report',
  'customer_question',
  'transaction_dispute',
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

export const caseResolved = envelope('case.resolved', 1, z.object({ ...caseRef, outcome: caseOutcome }));

export const caseReopened = envelope('case.reopened', 1, z.object({ ...caseRef }));

export const slaBreached = envelope(
  'sla.breached',
  1,
  z.object({ ...caseRef, sla: z.enum(['first_response', 'resolution']), dueAt: isoDateTime }),
);

export const caseEvent = z.discriminatedUnion('type', [
  caseOpened,
  caseUpdated,
  casePublicNoteAdded,
  caseResolved,
  caseReopened,
  slaBreached,
]);
export type CaseEvent = z.infer<typeof caseEvent>;
