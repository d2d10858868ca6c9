import { customerCaseView, errorBody } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { supportCasesOf } from '../application';
import { CUSTOMER_CATEGORIES, caseNumber } from '../cases/case-rules';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-conventions';
import { ratingState } from '../satisfaction/satisfaction-rules';
import { type RatingRequest, ratingRequestsOf } from '../satisfaction/satisfaction-store';
import { addCustomerMessage } from './customer-messages';
import { listCustomerCases, openCustomerCase } from './customer-requests';

type CustomerCaseView = z.infer<typeof customerCaseView>;

/** The rating request of a case as its customer sees it (null: none was asked). */
const satisfactionView = (request: RatingRequest | undefined, now: Date): CustomerCaseView['satisfaction'] =>
  request
    ? { state: ratingState(request, now), expiresAt: request.expiresAt.toISOString(), rating: request.rating }
    : null;

/**
 * What the wallet backend (and the account portal) calls for its users: open a case (a theft
 * report also freezes the account at once), read the user's cases with the notes meant for them,
 * and answer on one of them. Internal notes and
 * agents' names never leave through here.
 */
export const customerRoutes = fp(
  async (app) => {
    const deps = supportCasesOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.post(
      '/v1/customer-cases',
      {
        schema: {
          tags: ['customers'],
          summary: 'A user asks for help; a theft report freezes the account and opens a P1 case',
          security: security.wallet,
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
            201: z.object({
              caseId: z.uuid(),
              caseNumber: z.string(),
              status: z.string(),
              accountFrozen: z.boolean(),
            }),
            ...commonErrors,
            404: errorBody,
            503: errorBody,
          },
        },
      },
      async (request, reply) => {
        const { case: c, accountFrozen } = await openCustomerCase(deps, request.body, request.id);
        return reply.status(201).send({ caseId: c.id, caseNumber: c.number, status: c.status, accountFrozen });
      },
    );

    routes.get(
      '/v1/customer-cases',
      {
        schema: {
          tags: ['customers'],
          summary: "A user's cases with their status and the notes meant for them",
          security: security.wallet,
          querystring: z.object({ accountId: z.uuid() }),
          response: { 200: z.object({ items: z.array(customerCaseView) }), ...commonErrors },
        },
      },
      async (request) => {
        const cases = await listCustomerCases(deps.db, request.query.accountId);
        const ratings = await ratingRequestsOf(
          deps.db,
          cases.map((c) => c.id),
        );
        const now = deps.context.clock();
        return {
          items: cases.map(
            (c): CustomerCaseView => ({
              caseId: c.id,
              caseNumber: caseNumber(c.number),
              type: c.type as CustomerCaseView['type'],
              status: c.status as CustomerCaseView['status'],
              openedAt: c.opened_at.toISOString(),
              updatedAt: c.updated_at.toISOString(),
              publicNotes: c.publicNotes.map((n) => ({
                at: n.at.toISOString(),
                from: n.actor === 'customer' ? ('customer' as const) : ('support' as const),
                body: n.body ?? '',
              })),
              satisfaction: satisfactionView(ratings.get(c.id), now),
              mergedCaseNumbers: c.mergedNumbers,
            }),
          ),
        };
      },
    );

    routes.post(
      '/v1/customer-cases/:id/messages',
      {
        schema: {
          tags: ['customers'],
          summary: 'A user writes on their own case; a case waiting for them goes back to open',
          security: security.wallet,
          params: z.object({ id: z.uuid() }),
          body: z.object({ accountId: z.uuid(), body: z.string().trim().min(1).max(5000) }).meta({
            examples: [{ accountId: '6cfaf691-2003-4939-bfe6-5b9427c8f628', body: 'The payment was on 23 November.' }],
          }),
          response: {
            201: z.object({ caseId: z.uuid(), caseNumber: z.string(), status: z.string() }),
            ...commonErrors,
            404: errorBody,
            409: errorBody,
          },
        },
      },
      async (request, reply) => {
        const c = await addCustomerMessage(deps, { caseId: request.params.id, ...request.body });
        return reply.status(201).send({ caseId: c.id, caseNumber: c.number, status: c.status });
      },
    );
  },
  { name: 'cases-customer-routes', dependencies: ROUTE_DEPENDENCIES },
);
