import { accountId, riskProfile } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { ZodTypeProvider } from '@wallet-guard/http';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { latestFlags } from '../flags/flags-repo';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-kit';
import { latestSecurityEvents } from '../security-timeline/timeline-repo';
import { countCounterparties } from './counterparties-repo';
import { readProfile } from './profiles-repo';
import { summarizeRisk } from './risk-summary';

/**
 * `GET /v1/accounts/:id/risk` (scope internal): support-cases shows it beside a case. An account
 * the monitor has not seen answers 200 with an empty profile: "nothing known" is an answer.
 */
export const riskRoutes = fp<{ db: Kysely<Database> }>(
  async (app, { db }) => {
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
      async (request) => {
        const id = request.params.id;
        const [record, counterparties, events, flags] = await Promise.all([
          readProfile(db, id),
          countCounterparties(db, id),
          latestSecurityEvents(db, id, 20),
          latestFlags(db, id, 10),
        ]);
        return summarizeRisk(id, record, counterparties, events, flags);
      },
    );
  },
  { name: 'txm-risk-routes', dependencies: ROUTE_DEPENDENCIES },
);
