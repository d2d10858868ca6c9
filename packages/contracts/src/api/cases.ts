import { z } from 'zod';
import { caseOutcome, casePriority, caseStatus, caseType } from '../events/cases';
import { page } from '../http';
import { internalAccountView, securityEventsPage } from './auth-internal';
import { flagPage } from './monitor';
import { deliveryView } from './notifier';

const instant = z.iso.datetime({ offset: true });

/** A case as agents (and the console) see it in the queue and on its page. */
export const caseView = z.object({
  id: z.uuid(),
  number: z.string().regex(/^CASE-\d{6,}$/),
  type: caseType,
  priority: casePriority,
  status: caseStatus,
  accountId: z.uuid(),
  queue: z.enum(['agents', 'supervisors']),
  assignee: z.string().nullable(),
  occurrenceCount: z.number().int().positive(),
  outcome: caseOutcome.nullable(),
  summary: z.string(),
  openedAt: instant,
  updatedAt: instant,
  firstResponseDueAt: instant,
  resolutionDueAt: instant,
  firstRespondedAt: instant.nullable(),
  /** The SLA deadline that matters next; null once resolved. */
  nextDueAt: instant.nullable(),
  /** True while waiting for the customer: the SLA clocks stand still. */
  slaPaused: z.boolean(),
  breached: z.object({ firstResponse: z.boolean(), resolution: z.boolean() }),
  resolvedAt: instant.nullable(),
  closedAt: instant.nullable(),
  /**
   * The case this one was merged into (`POST /v1/cases/:id/merge`): a merged case is closed and its
   * timeline, evidence and incident keys live on there. Null (or absent, from older versions) otherwise.
   */
  mergedInto: z.uuid().nullable().optional(),
});
export type CaseView = z.infer<typeof caseView>;

/** `POST /v1/cases/:id/merge`: the duplicate, now closed with `mergedInto`, and the case that carries on. */
export const caseMergeView = z.object({ merged: caseView, survivor: caseView });

export const timelineEntryView = z.object({
  id: z.string(),
  at: instant,
  /** "system", "customer" or "agent:<name>". */
  actor: z.string(),
  kind: z.string(),
  visibility: z.enum(['internal', 'public']),
  oldValue: z.unknown(),
  newValue: z.unknown(),
  body: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type TimelineEntryView = z.infer<typeof timelineEntryView>;

export const evidenceView = z.object({
  kind: z.enum(['security_event', 'flag', 'transaction', 'case']),
  ref: z.string(),
});

/** Data fetched live from another service: present, or why it is missing. */
export const live = <T extends z.ZodType>(data: T) =>
  z.discriminatedUnion('available', [
    z.object({ available: z.literal(true), data }),
    z.object({ available: z.literal(false), error: z.string() }),
  ]);

/** `GET /v1/cases`: one page of the queue. */
export const casePage = page(caseView);
export type CasePage = z.infer<typeof casePage>;

/**
 * A message to the case's customer as the notifier reports it (kind, channel, masked recipient,
 * status, attempts, last error; never a token or a body), marked when it is about this case.
 */
export const caseMessageView = deliveryView.extend({
  /** The delivery's `caseId` is this case's id (a case message); false for the account's others. */
  aboutThisCase: z.boolean(),
});
export type CaseMessageView = z.infer<typeof caseMessageView>;

/** How many of the account's latest deliveries the case page shows. */
export const CASE_MESSAGES_LIMIT = 20;

/**
 * `GET /v1/cases/:id`: the case, its timeline and evidence, and what auth, the monitor and the
 * notifier say now. Each live part is `{ available: true, data }` or `{ available: false, error }`
 * (the service did not answer, failed or refused; `error` says which, never a key or URL): the
 * case itself answers 200 either way.
 */
export const caseDetailView = z.object({
  case: caseView,
  timeline: z.array(timelineEntryView),
  evidence: z.array(evidenceView),
  account: live(internalAccountView),
  securityEvents: live(securityEventsPage),
  flags: live(flagPage),
  /**
   * The account's latest `CASE_MESSAGES_LIMIT` deliveries from the notifier, newest first: all of
   * the account's, not only this case's (an unlock link or a "was this you?" e-mail belongs to no
   * case, and it is the one the customer says never arrived); `aboutThisCase` marks this case's.
   * `available: false` when the notifier is down, failing, refusing or not deployed.
   */
  messages: live(z.array(caseMessageView)),
});
export type CaseDetailView = z.infer<typeof caseDetailView>;

/** `GET /v1/agents/me`: the signed-in agent. */
export const agentView = z.object({
  name: z.string(),
  role: z.enum(['agent', 'supervisor']),
  available: z.boolean(),
  /**
   * The console language the agent chose (BCP 47, one of `@wallet-guard/i18n`'s SUPPORTED_LOCALES:
   * "en", "zh-CN"), set with `PATCH /v1/agents/me`; null until they choose, when the console goes
   * by the browser's languages.
   */
  locale: z.string().nullable(),
});
export type AgentView = z.infer<typeof agentView>;

/** How the agent confirmed who they were talking to before unlocking (`verification.method`). */
export const VERIFICATION_METHODS = [
  'id_document',
  'video_call',
  'callback_registered_phone',
  'security_questions',
  'in_app_confirmation',
] as const;
export const verificationMethod = z.enum(VERIFICATION_METHODS);
export type VerificationMethod = z.infer<typeof verificationMethod>;

/** An agent's label on a flagged transaction, as support-cases takes it (sent on as `FeedbackLabel`). */
export const transactionLabel = z.enum(['fraud', 'legitimate']);
export type TransactionLabel = z.infer<typeof transactionLabel>;

export const customerCaseView = z.object({
  caseId: z.uuid(),
  caseNumber: z.string(),
  type: caseType,
  status: caseStatus,
  openedAt: instant,
  updatedAt: instant,
  publicNotes: z.array(z.object({ at: instant, from: z.enum(['support', 'customer']), body: z.string() })),
  /**
   * Numbers of the customer's cases merged into this one as duplicates (their notes are in
   * `publicNotes`): a merged case number resolves to this case. Absent from older versions.
   */
  mergedCaseNumbers: z.array(z.string()).optional(),
  /**
   * The rating support asked for once the case was resolved: `asked` (the customer may answer
   * until `expiresAt`), `answered` (with the rating), `expired`; null when none was asked (absent
   * from older versions of support-cases).
   */
  satisfaction: z
    .object({
      state: z.enum(['asked', 'answered', 'expired']),
      expiresAt: instant,
      rating: z.number().int().min(1).max(5).nullable(),
    })
    .nullable()
    .optional(),
});
export type CustomerCaseView = z.infer<typeof customerCaseView>;
