import {
  CASE_PRIORITIES,
  CASE_STATUSES,
  CASE_TYPES,
  caseDetailView,
  caseOutcome,
  caseStatus,
  caseView,
  errorBody,
} from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { ZodTypeProvider } from '@wallet-guard/http';
import { commitThenDeliver } from '@wallet-guard/messaging';
import fp from 'fastify-plugin';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { agentOf } from '../agents/agent-auth';
import { supportCasesOf } from '../application';
import { caseErrors } from '../errors';
import { sendMacroReply } from '../macros/macro-reply';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-conventions';
import type { AgentActor } from './actor';
import { addNote, changeStatus, claimCase, escalateCase, reopenCase, resolveCase } from './agent-actions';
import { getCaseDetail } from './case-detail';
import { decodeCursor, listCases } from './case-queries';
import type { CaseRecord } from './case-record';
import { toCaseView, toTimelineView } from './case-view';

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
const errors = { ...commonErrors, 404: errorBody, 409: errorBody };

/** Agent routes over cases: the queue, a case with live account context, and the case actions. */
export const caseRoutes = fp(
  async (app) => {
    const application = supportCasesOf(app);
    const { db, bus, context } = application;
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.get(
      '/v1/cases',
      {
        schema: {
          tags: ['cases'],
          summary: 'The queue: cases sorted by the SLA deadline that comes next',
          security: security.agent,
          querystring: listQuery,
          response: { 200: z.object({ items: z.array(caseView), nextCursor: z.string().nullable() }), ...errors },
        },
      },
      async (request) => {
        const q = request.query;
        const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
        if (q.cursor && !cursor) throw caseErrors.invalidCursor();
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
          summary: 'A case with its timeline, evidence, and what auth, the monitor and the notifier say now',
          description:
            "`account`, `securityEvents` and `flags` are fetched live from auth and the monitor; `messages` holds the account's " +
            "latest 20 deliveries from the notifier, newest first, `aboutThisCase` marking this case's. Each is " +
            '`{available: false, error}` when its service does not answer, fails or refuses: the case still answers 200.',
          security: security.agent,
          params: caseParams,
          response: { 200: caseDetailView, ...errors },
        },
      },
      async (request) => {
        const detail = await getCaseDetail(application, request.params.id, request.id);
        return { ...detail, case: toCaseView(detail.case), timeline: detail.timeline.map(toTimelineView) };
      },
    );

    /** A case action: one domain function in one transaction, its events delivered once committed. */
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
            security: security.agent,
            params: caseParams,
            body,
            response: { 200: caseView, ...errors },
          },
        },
        async (request) => {
          const agent = agentOf(request);
          const changed = await commitThenDeliver(db, bus, (trx) =>
            run(trx, request.params.id, agent, request.body as z.infer<B>),
          );
          return toCaseView(changed);
        },
      );

    mutation(
      '/v1/cases/:id/claim',
      'Take the case (409 CASE_ALREADY_CLAIMED if another agent holds it; a supervisor may take over)',
      z.object({}).nullish(),
      (trx, id, agent) => claimCase(trx, context, id, agent),
    );
    mutation(
      '/v1/cases/:id/notes',
      'Add a note: internal (agents only) or public (the customer sees it). With `macroId` (a macro rendered ' +
        "and edited), the note takes the macro's visibility unless given and the case the macro's status, " +
        'through the state machine (409 CASE_INVALID_TRANSITION, 403 CASE_FORBIDDEN: nothing is sent); ' +
        '404 CASE_MACRO_NOT_FOUND',
      z
        .object({
          body: z.string().trim().min(1).max(5000),
          /** internal when neither given nor set by the macro. */
          visibility: z.enum(['internal', 'public']).optional(),
          macroId: z.uuid().optional(),
        })
        .meta({ examples: [{ body: 'Called the customer back on the registered number', visibility: 'internal' }] }),
      (trx, id, agent, body) =>
        body.macroId
          ? sendMacroReply(trx, context, id, agent, { ...body, macroId: body.macroId })
          : addNote(trx, context, id, agent, { body: body.body, visibility: body.visibility ?? 'internal' }),
    );
    mutation(
      '/v1/cases/:id/status',
      'Change the status (open, pending_customer pauses the SLA, closed after resolved)',
      z.object({ status: caseStatus }),
      (trx, id, agent, body) => changeStatus(trx, context, id, agent, body.status),
    );
    mutation(
      '/v1/cases/:id/escalate',
      "Send the case to the supervisors' queue",
      z
        .object({ reason: z.string().trim().min(1).max(2000) })
        .meta({ examples: [{ reason: 'Customer asks to unfreeze: needs a supervisor' }] }),
      (trx, id, agent, body) => escalateCase(trx, context, id, agent, body.reason),
    );
    mutation(
      '/v1/cases/:id/resolve',
      'Resolve the case with an outcome',
      z.object({ outcome: caseOutcome.exclude(['self_unlocked']), note: z.string().trim().min(1).max(5000) }).meta({
        examples: [{ outcome: 'unlocked', note: 'Identity verified on a video call; customer signed in again' }],
      }),
      (trx, id, agent, body) => resolveCase(trx, context, id, agent, body),
    );
    mutation(
      '/v1/cases/:id/reopen',
      'Reopen a resolved or closed case',
      z
        .object({ reason: z.string().trim().min(1).max(2000) })
        .meta({ examples: [{ reason: 'The customer reports the same device signing in again' }] }),
      (trx, id, agent, body) => reopenCase(trx, context, id, agent, body.reason),
    );
  },
  { name: 'cases-case-routes', dependencies: ROUTE_DEPENDENCIES },
);
