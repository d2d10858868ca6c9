import { randomUUID } from 'node:crypto';
import { customerCaseView, errorBody } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { AppError, requires, type ZodTypeProvider } from '@wallet-guard/http';
import type { EventBus } from '@wallet-guard/messaging';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { UpstreamClient } from '../account-actions/upstream';
import { CUSTOMER } from '../cases/actor';
import { CUSTOMER_CATEGORIES, customerIncident, theftJoins } from '../cases/case-rules';
import { appendTimeline } from '../cases/cases-repo';
import { type IncidentDeps, recordIncident } from '../cases/incidents';

export interface CustomerRoutesDeps extends IncidentDeps {
  db: Kysely<Database>;
  bus: EventBus;
  auth: UpstreamClient;
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
      const { case: c } = await db.transaction().execute((trx) =>
        recordIncident(trx, deps, {
          kind: customerIncident(category, accountId, randomUUID()),
          accountId,
          joinKeys: category === 'theft_report' ? theftJoins(accountId) : [],
          actor: CUSTOMER,
          detail: `The customer opened a ${category.replace('_', ' ')} request`,
          evidence: (transactionIds ?? []).map((ref) => ({ kind: 'transaction' as const, ref })),
          locale,
          customerMessage: message,
          data: { category },
        }),
      );
      bus.nudge();
      let accountFrozen = false;
      if (category === 'theft_report') {
        const result = await auth
          .request(
            'POST',
            `/internal/v1/accounts/${accountId}/freeze`,
            { actor: 'customer', by: 'user', caseId: c.id, reason: 'The customer reported theft' },
            request.id,
          )
          .catch(async (error: unknown) => {
            await db
              .transaction()
              .execute((trx) =>
                appendTimeline(trx, c.id, [
                  { actor: 'system', kind: 'action_failed', body: 'Freezing the account failed: auth did not answer' },
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
        if (result.status === 404) throw new AppError(404, 'CASE_ACCOUNT_NOT_FOUND', 'auth does not know this account');
        accountFrozen = result.status < 300;
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
