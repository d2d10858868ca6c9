import {
  CASE_PRIORITIES,
  CASE_STATUSES,
  CASE_TYPES,
  caseOutcome,
  caseStatus,
  caseView,
  errorBody,
  evidenceView,
  flagPage,
  internalAccountView,
  live,
  securityEventsPage,
  timelineEntryView,
} from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { AppError, requires, type ZodTypeProvider } from '@wallet-guard/http';
import type { EventBus } from '@wallet-guard/messaging';
import type { FastifyInstance } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { UpstreamClient } from '../account-actions/upstream';
import { agentOf } from '../agents/agent-auth';
import type { AgentActor } from './actor';
import { addNote, caseNotFound, changeStatus, claimCase, escalateCase, reopenCase, resolveCase } from './agent-actions';
import { decodeCursor, listCases } from './case-queries';
import type { CaseRecord } from './case-record';
import type { SlaPolicy } from './case-rules';
import { toCaseView, toTimelineView } from './case-view';
import { getCase, listEvidence, listTimeline } from './cases-repo';

export interface CaseRoutesDeps {
  db: Kysely<Database>;
  /** The SLA policy: status changes that end a pause recompute the deadlines from it. */
  sla: SlaPolicy;
  bus: EventBus;
  auth: UpstreamClient;
  monitor: UpstreamClient;
}

const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .max(200)
    .transform((v, ctx) => {
      const items = v.split(',').map((s) => s.trim());
      for (const item of items) {
        if (!(values as readonly string[]).includes(item)) {
          ctx.addIssue({ code: 'custom', message: `must be one or more of ${values.join(', ')}` });
          return z.NEVER;
        }
      }
      return items as T[];
    });

const listQuery = z.object({
  accountId: z.uuid().optional(),
  status: csv(CASE_STATUSES).optional(),
  priority: csv(CASE_PRIORITIES).optional(),
  type: csv(CASE_TYPES).optional(),
  /** An agent's name, "me", or "none" for unassigned cases. */
  assignee: z
    .string()
    .regex(/^[A-Za-z0-9._@-]{1,100}$/)
    .optional(),
  breached: z.enum(['true', 'false']).optional(),
  queue: z.enum(['agents', 'supervisors']).optional(),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const caseParams = z.object({ id: z.uuid() });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const security = requires({ bearer: 'agent' });

const caseDetail = z.object({
  case: caseView,
  timeline: z.array(timelineEntryView),
  evidence: z.array(evidenceView),
  account: live(internalAccountView),
  securityEvents: live(securityEventsPage),
  flags: live(flagPage),
});

/** Agent routes over cases: the queue, a case with live account context, and the case actions. */
export function registerCaseRoutes(app: FastifyInstance, deps: CaseRoutesDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db, bus } = deps;

  const act = async (fn: (trx: Transaction<Database>) => Promise<CaseRecord>) => {
    const result = await db.transaction().execute(fn);
    bus.nudge();
    return toCaseView(result);
  };

  routes.get(
    '/v1/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'The queue: cases sorted by the SLA deadline that comes next',
        security,
        querystring: listQuery,
        response: { 200: z.object({ items: z.array(caseView), nextCursor: z.string().nullable() }), ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
      if (q.cursor && !cursor)
        throw new AppError(400, 'CASE_INVALID_CURSOR', 'The cursor is not one this service issued');
      const assignee = q.assignee === 'me' ? agentOf(request).name : q.assignee === 'none' ? null : q.assignee;
      const page = await listCases(
        db,
        {
          accountId: q.accountId,
          status: q.status,
          priority: q.priority,
          type: q.type,
          assignee,
          queue: q.queue,
          breached: q.breached === undefined ? undefined : q.breached === 'true',
        },
        { cursor, limit: q.limit },
      );
      return { items: page.items.map(toCaseView), nextCursor: page.nextCursor };
    },
  );

  routes.get(
    '/v1/cases/:id',
    {
      schema: {
        tags: ['cases'],
        summary: 'A case with its timeline, evidence, and the account status, security events and flags fetched live',
        security,
        params: caseParams,
        response: { 200: caseDetail, ...errors },
      },
    },
    async (request) => {
      const c = await getCase(db, request.params.id);
      if (!c) throw caseNotFound();
      const [timeline, evidence, account, securityEvents, flags] = await Promise.all([
        listTimeline(db, c.id),
        listEvidence(db, c.id),
        fetchLive(deps.auth, `/internal/v1/accounts/${c.accountId}`, internalAccountView, request.id),
        fetchLive(
          deps.auth,
          `/internal/v1/accounts/${c.accountId}/security-events?limit=20`,
          securityEventsPage,
          request.id,
        ),
        fetchLive(deps.monitor, `/v1/flags?accountId=${c.accountId}&limit=20`, flagPage, request.id),
      ]);
      return { case: toCaseView(c), timeline: timeline.map(toTimelineView), evidence, account, securityEvents, flags };
    },
  );

  const mutation = <B extends z.ZodType>(
    path: string,
    summary: string,
    body: B,
    run: (trx: Transaction<Database>, id: string, agent: AgentActor, body: z.infer<B>) => Promise<CaseRecord>,
  ) =>
    routes.post(
      path,
      {
        schema: {
          tags: ['cases'],
          summary,
          security,
          params: caseParams,
          body,
          response: { 200: caseView, ...errors },
        },
      },
      async (request) => act((trx) => run(trx, request.params.id, agentOf(request), request.body as z.infer<B>)),
    );

  mutation(
    '/v1/cases/:id/claim',
    'Take the case (409 CASE_ALREADY_CLAIMED if another agent holds it; a supervisor may take over)',
    z.object({}).nullish(),
    (trx, id, agent) => claimCase(trx, id, agent),
  );
  mutation(
    '/v1/cases/:id/notes',
    'Add a note: internal (agents only) or public (the customer sees it)',
    z
      .object({
        body: z.string().trim().min(1).max(5000),
        visibility: z.enum(['internal', 'public']).default('internal'),
      })
      .meta({ examples: [{ body: 'Called the customer back on the registered number', visibility: 'internal' }] }),
    (trx, id, agent, body) => addNote(trx, id, agent, body),
  );
  mutation(
    '/v1/cases/:id/status',
    'Change the status (open, pending_customer pauses the SLA, closed after resolved)',
    z.object({ status: caseStatus }),
    (trx, id, agent, body) => changeStatus(trx, id, agent, body.status, deps.sla),
  );
  mutation(
    '/v1/cases/:id/escalate',
    "Send the case to the supervisors' queue",
    z
      .object({ reason: z.string().trim().min(1).max(2000) })
      .meta({ examples: [{ reason: 'Customer asks to unfreeze: needs a supervisor' }] }),
    (trx, id, agent, body) => escalateCase(trx, id, agent, body.reason, deps.sla),
  );
  mutation(
    '/v1/cases/:id/resolve',
    'Resolve the case with an outcome',
    z.object({ outcome: caseOutcome.exclude(['self_unlocked']), note: z.string().trim().min(1).max(5000) }).meta({
      examples: [{ outcome: 'unlocked', note: 'Identity verified on a video call; customer signed in again' }],
    }),
    (trx, id, agent, body) => resolveCase(trx, id, agent, body, deps.sla),
  );
  mutation(
    '/v1/cases/:id/reopen',
    'Reopen a resolved or closed case',
    z
      .object({ reason: z.string().trim().min(1).max(2000) })
      .meta({ examples: [{ reason: 'The customer reports the same device signing in again' }] }),
    (trx, id, agent, body) => reopenCase(trx, id, agent, body.reason),
  );
}

/**
 * Never throws: another service being down (or answering in a shape we do not know) must not
 * hide the case from the agent; the panel says what is missing instead.
 */
async function fetchLive<T extends z.ZodType>(client: UpstreamClient, path: string, schema: T, requestId: string) {
  try {
    const response = await client.request('GET', path, undefined, requestId);
    if (response.status !== 200)
      return { available: false as const, error: `${client.service} answered ${response.status}` };
    const parsed = schema.safeParse(response.body);
    if (!parsed.success)
      return { available: false as const, error: `${client.service} answered in an unexpected shape` };
    return { available: true as const, data: parsed.data as z.infer<T> };
  } catch (error) {
    return { available: false as const, error: error instanceof Error ? error.message : 'unavailable' };
  }
}
