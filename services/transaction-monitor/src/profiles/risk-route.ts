import { accountId, riskProfile } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { monitorOf } from '../application';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-conventions';
import { readAccountRisk } from './account-risk';

/**
 * `GET /v1/accounts/:id/risk` (scope internal): support-cases shows it beside a case. An account
 * the monitor has not seen answers 200 with an empty profile: "nothing known" is an answer.
 */
export const riskRoutes = fp(
  async (app) => {
    const { db } = monitorOf(app);
    app.withTypeProvider<ZodTypeProvider>().get(
      '/v1/accounts/:id/risk',
      {
        schema: {
          tags: ['accounts'],
          summary: "An account's risk profile, latest security events and latest flags",
          security: security.internal,
          params: z.object({ id: accountId }),
          response: { 200: riskProfile, ...commonErrors },
        },
      },
      async (request) => readAccountRisk(db, request.params.id),
    );
  },
  { name: 'txm-risk-routes', dependencies: ROUTE_DEPENDENCIES },
);
