import { randomUUID } from 'node:crypto';
import { customerCaseView, errorBody } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { AppError, requires, type ZodTypeProvider } from '@wallet-guard/http';
import type { EventBus } from '@wallet-guard/messaging';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type UpstreamClient, upstreamErrorCode } from '../account-actions/upstream';
import { CUSTOMER } from '../cases/actor';
import { CUSTOMER_CATEGORIES, customerIncident, theftJoins } from '../cases/case-rules';
import { appendTimeline } from '../cases/cases-repo';
import { type IncidentDeps, recordIncident } from '../cases/incidents';

export interface CustomerRoutesDeps extends IncidentDeps {
  db: Kysely<Database>;
  bus: EventBus;
  auth: UpstreamClient;
  /** Knows the account of every transaction it flagged (to refuse another account's). */
  monitor: UpstreamClient;
}

const security = requires({ apiKey: 'wallet' });

/**
 * What the wallet backend calls for its users: open a case (a theft report also freezes the
 * account at once) and read the user's cases with the notes meant for them. Internal notes and
 * agents' names never leave through here.
 */
export function registerCustomerRoutes(app: FastifyInstance, deps: CustomerRoutesDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db, bus, auth } = deps;

  routes.post(
    '/v1/customer-cases',
    {
      schema: {
        tags: ['customers'],
        summary: 'A user asks for help; a theft report freezes the account and opens a P1 case',
        security,
        body: z
          .object({
            accountId: z.uuid(),
            category: z.enum(CUSTOMER_CATEGORIES),
            message: z.string().trim().min(1).max(5000),
            transactionIds: z.array(z.string().min(1).max(128)).max(50).optional(),
            locale: z.string().min(2).max(35).default('en'),
          })
          .meta({
            examples: [
              {
                accountId: '6cfaf691-2003-4939-bfe6-5b9427c8f628',
                category: 'transaction_dispute',
                message: 'I did not buy gift cards. Please reverse the 349 EUR payment.',
                transactionIds: ['tx-2026-11-23-0042'],
                locale: 'en',
              },
            ],
          }),
        response: {
          201: z.object({ caseId: z.uuid(), caseNumber: z.string(), status: z.string(), accountFrozen: z.boolean() }),
          400: errorBody,
          401: errorBody,
          403: errorBody,
          404: errorBody,
          503: errorBody,
        },
      },
    },
    async (request, reply) => {
      const { accountId, category, message, transactionIds, locale } = request.body;
      const foreign = await foreignTransactions(deps.monitor, accountId, transactionIds ?? [], request.id);
      if (foreign.length > 0) {
        throw new AppError(
          400,
          'CASE_TRANSACTION_NOT_OF_ACCOUNT',
          'Some transactions belong to another account; nothing was opened',
          { transactionIds: foreign },
        );
      }
      const theft = category === 'theft_report';
      const freeze = { action: 'account_frozen', service: 'auth' };
      // The theft report's freeze is requested in the same transaction that opens the case, so
      // whatever happens to the call to auth the request is on the case (and a request left
      // without outcome is settled as unknown by settleUnansweredActions).
      const { case: c, requestId } = await db.transaction().execute(async (trx) => {
        const recorded = await recordIncident(trx, deps, {
          kind: customerIncident(category, accountId, randomUUID()),
          accountId,
          joinKeys: theft ? theftJoins(accountId) : [],
          actor: CUSTOMER,
          detail: `The customer opened a ${category.replace('_', ' ')} request`,
          evidence: (transactionIds ?? []).map((ref) => ({ kind: 'transaction' as const, ref })),
          locale,
          customerMessage: message,
          data: { category },
        });
        const [requested] = theft
          ? await appendTimeline(trx, recorded.case.id, [
              {
                actor: 'customer',
                kind: 'action_requested',
                body: 'Freeze the account at once on the customer’s theft report',
                data: freeze,
              },
            ])
          : [];
        return { case: recorded.case, requestId: requested };
      });
      bus.nudge();
      let accountFrozen = false;
      if (theft && requestId) {
        const result = await auth
          .request(
            'POST',
            `/internal/v1/accounts/${accountId}/freeze`,
            { actor: 'customer', by: 'user', caseId: c.id, reason: 'The customer reported theft' },
            request.id,
          )
          .catch(async (error: unknown) => {
            await db.transaction().execute((trx) =>
              appendTimeline(trx, c.id, [
                {
                  actor: 'system',
                  kind: 'action_failed',
                  body: 'Freezing the account failed: auth did not answer',
                  data: { ...freeze, outcome: 'unknown', requestId },
                },
              ]),
            );
            throw new AppError(
              503,
              'CASE_UPSTREAM_UNAVAILABLE',
              'The case is open but the account could not be frozen yet; retry',
              {
                caseId: c.id,
                cause: error instanceof AppError ? error.code : 'unknown',
              },
            );
          });
        accountFrozen = result.status < 300;
        // What auth did (or refused) is on the case, like an agent's action: never done and unrecorded.
        const code = upstreamErrorCode(result.body);
        await db.transaction().execute((trx) =>
          appendTimeline(trx, c.id, [
            accountFrozen
              ? {
                  actor: 'customer',
                  kind: 'account_frozen',
                  body: 'Frozen at once on the customer’s theft report',
                  data: { requestId },
                }
              : {
                  actor: 'system',
                  kind: 'action_failed',
                  body: `Freezing the account failed: auth refused${code ? ` (${code})` : ''}`,
                  data: { ...freeze, outcome: 'refused', code, requestId },
                },
          ]),
        );
        if (result.status === 404) throw new AppError(404, 'CASE_ACCOUNT_NOT_FOUND', 'auth does not know this account');
      }
      return reply.status(201).send({ caseId: c.id, caseNumber: c.number, status: c.status, accountFrozen });
    },
  );

  routes.get(
    '/v1/customer-cases',
    {
      schema: {
        tags: ['customers'],
        summary: "A user's cases with their status and the notes meant for them",
        security,
        querystring: z.object({ accountId: z.uuid() }),
        response: {
          200: z.object({ items: z.array(customerCaseView) }),
          400: errorBody,
          401: errorBody,
          403: errorBody,
        },
      },
    },
    async (request) => {
      const cases = await db
        .selectFrom('cases')
        .select(['id', 'number', 'type', 'status', 'opened_at', 'updated_at'])
        .where('account_id', '=', request.query.accountId)
        .orderBy('opened_at', 'desc')
        .limit(50)
        .execute();
      const notes =
        cases.length === 0
          ? []
          : await db
              .selectFrom('case_timeline')
              .select(['case_id', 'at', 'actor', 'body'])
              .where(
                'case_id',
                'in',
                cases.map((c) => c.id),
              )
              .where('visibility', '=', 'public')
              .where('kind', '=', 'note')
              .orderBy('id')
              .execute();
      return {
        items: cases.map((c) => ({
          caseId: c.id,
          caseNumber: `CASE-${String(c.number).padStart(6, '0')}`,
          type: c.type as z.infer<typeof customerCaseView>['type'],
          status: c.status as z.infer<typeof customerCaseView>['status'],
          openedAt: c.opened_at.toISOString(),
          updatedAt: c.updated_at.toISOString(),
          publicNotes: notes
            .filter((n) => n.case_id === c.id)
            .map((n) => ({
              at: n.at.toISOString(),
              from: n.actor === 'customer' ? ('customer' as const) : ('support' as const),
              body: n.body ?? '',
            })),
        })),
      };
    },
  );
}

/**
 * The transaction ids a customer named that belong to another account, as far as the monitor
 * knows: every transaction it flagged names its account. A transaction it never flagged, or any
 * when it does not answer, cannot be checked here and is not refused: the wallet backend, which
 * signed the customer in, vouches for it. Never throws.
 */
async function foreignTransactions(
  monitor: UpstreamClient,
  accountId: string,
  transactionIds: readonly string[],
  requestId: string,
): Promise<string[]> {
  const owners = await Promise.all(
    [...new Set(transactionIds)].map(async (transactionId) => {
      const query = new URLSearchParams({ transactionId, limit: '20' });
      const answer = await monitor.request('GET', `/v1/flags?${query}`, undefined, requestId).catch(() => undefined);
      const items = answer?.status === 200 ? (answer.body as { items?: { accountId?: unknown }[] } | null)?.items : [];
      return { transactionId, foreign: (items ?? []).some((flag) => flag.accountId !== accountId) };
    }),
  );
  return owners.filter((o) => o.foreign).map((o) => o.transactionId);
}
