import { caseMergeView, errorBody } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import { commitThenDeliver } from '@wallet-guard/messaging';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { agentOf } from '../agents/agent-auth';
import { supportCasesOf } from '../application';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-conventions';
import { toCaseView } from './case-view';
import { mergeCase } from './merge-case';

/** POST /v1/cases/:id/merge: an agent closes a duplicate into another case of the same account. */
export const caseMergeRoutes = fp(
  async (app) => {
    const { db, bus, context } = supportCasesOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.post(
      '/v1/cases/:id/merge',
      {
        schema: {
          tags: ['cases'],
          summary:
            'Merge this case, a duplicate, into another open case of the same account: its timeline (copied, each ' +
            'entry marked `data.mergedFrom`), evidence, incident keys and occurrences move there, and it closes ' +
            'with `mergedInto`; the customer sees the survivor. 400 CASE_MERGE_INTO_ITSELF, 404 CASE_NOT_FOUND, ' +
            '422 CASE_MERGE_OTHER_ACCOUNT, 409 CASE_MERGE_CASE_CLOSED (either case resolved, closed or merged), ' +
            '409 CASE_ALREADY_CLAIMED, 403 CASE_FORBIDDEN (an escalated case is merged by a supervisor)',
          security: security.agent,
          params: z.object({ id: z.uuid() }),
          body: z.object({ intoCaseId: z.uuid(), reason: z.string().trim().min(1).max(2000) }).meta({
            examples: [
              {
                intoCaseId: '0b8f3a4e-5c51-4b8e-9d0c-2f1c7e6a9b10',
                reason: 'Same customer, same stolen phone: reported twice',
              },
            ],
          }),
          response: {
            200: caseMergeView,
            ...commonErrors,
            404: errorBody,
            409: errorBody,
            422: errorBody,
          },
        },
      },
      async (request) => {
        const agent = agentOf(request);
        const { merged, survivor } = await commitThenDeliver(db, bus, (trx) =>
          mergeCase(trx, context, request.params.id, agent, request.body),
        );
        return { merged: toCaseView(merged), survivor: toCaseView(survivor) };
      },
    );
  },
  { name: 'cases-merge-routes', dependencies: ROUTE_DEPENDENCIES },
);
