// Support-cases' desk tools as agents, supervisors and the console see them: macros (saved
// replies) and the customers' satisfaction report.
import { z } from 'zod';
import { isoDateTime as instant } from '../envelope';

/** The languages a macro is written in (the agents' and customers' languages). */
const MACRO_LOCALES = ['en', 'zh-CN'] as const;

/** The placeholders a macro text may use, as `{{name}}` (anything else is refused on save). */
export const MACRO_PLACEHOLDERS = ['customerName', 'caseNumber', 'accountState', 'agentName'] as const;

/** The status a macro may move a case to when its reply is sent (moves of POST /status). */
export const MACRO_SET_STATUSES = ['open', 'pending_customer'] as const;

const macroText = z.string().trim().min(1).max(5000);

/** A macro's reply per language: at least one of `en` and `zh-CN`. */
const macroTexts = z
  .strictObject({ en: macroText.optional(), 'zh-CN': macroText.optional() })
  .refine((t) => t.en !== undefined || t['zh-CN'] !== undefined, { message: 'needs a text in en or zh-CN' });

/** What a supervisor saves. */
export const macroInput = z.object({
  /** What agents pick it by in the reply box. */
  name: z.string().trim().min(1).max(100),
  texts: macroTexts,
  /** The status sending it moves the case to (through the case's state machine), or null. */
  setStatus: z.enum(MACRO_SET_STATUSES).nullable().default(null),
  /** The visibility its note gets unless the agent chooses: `public` goes to the customer. */
  visibility: z.enum(['internal', 'public']).default('public'),
});

/** One version of a macro: the latest is the macro; every version is kept (the audit trail). */
export const macroView = z.object({
  id: z.uuid(),
  version: z.number().int().positive(),
  name: z.string(),
  texts: z.object({ en: z.string().optional(), 'zh-CN': z.string().optional() }),
  setStatus: z.enum(MACRO_SET_STATUSES).nullable(),
  visibility: z.enum(['internal', 'public']),
  /** True on the version that deleted the macro. */
  deleted: z.boolean(),
  /** "agent:<name>" of the supervisor who saved this version. */
  changedBy: z.string(),
  changedAt: instant,
});
export type MacroView = z.infer<typeof macroView>;

/** `GET /v1/macros`: the macros in use, by name. */
export const macroList = z.object({ items: z.array(macroView) });

/** `POST /v1/cases/:id/macros/:macroId/render`: the text the agent edits before sending. */
export const renderedMacroView = z.object({
  macroId: z.uuid(),
  version: z.number().int().positive(),
  /** The language of `text`: the case's, unless the macro has no text in it (`fellBack`). */
  locale: z.enum(MACRO_LOCALES),
  fellBack: z.boolean(),
  /** Plain text (never HTML), placeholders filled in. */
  text: z.string(),
  visibility: z.enum(['internal', 'public']),
  setStatus: z.enum(MACRO_SET_STATUSES).nullable(),
});
export type RenderedMacroView = z.infer<typeof renderedMacroView>;

/** Ratings in one group: how many, their mean (null without any), and how many of each 1-5. */
const satisfactionFigures = z.object({
  count: z.number().int().nonnegative(),
  average: z.number().nullable(),
  distribution: z.object({
    1: z.number().int(),
    2: z.number().int(),
    3: z.number().int(),
    4: z.number().int(),
    5: z.number().int(),
  }),
});

/** `GET /v1/reports/satisfaction`: ratings answered in `[from, to)`, overall, per agent and per case type. */
export const satisfactionReport = z.object({
  from: instant,
  to: instant,
  overall: satisfactionFigures,
  /** `agent` is who resolved the case; null for cases resolved without an agent. */
  byAgent: z.array(satisfactionFigures.extend({ agent: z.string().nullable() })),
  byCaseType: z.array(satisfactionFigures.extend({ caseType: z.string() })),
});
export type SatisfactionReport = z.infer<typeof satisfactionReport>;
