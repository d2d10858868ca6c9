import { errorBody, satisfactionReport } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { supportCasesOf } from '../application';
import { caseErrors } from '../errors';
import { DEFAULT_REPORT_DAYS, MAX_REPORT_DAYS, reportPeriod, reportPeriodQuery } from '../reports/report-period';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-conventions';
import { rateCase } from './rate-case';
import { ratingFigures } from './satisfaction-store';

/**
 * Customer satisfaction: the customer (through the wallet backend or the account portal, key
 * scope `wallet`) rates a resolved case once; supervisors read the ratings per agent and per case
 * type.
 */
export const satisfactionRoutes = fp(
  async (app) => {
    const { db, context } = supportCasesOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.post(
      '/v1/customer-cases/:id/satisfaction',
      {
        schema: {
          tags: ['customers'],
          summary:
            'A user rates their own resolved case, 1 (very dissatisfied) to 5 (very satisfied), once. 409 ' +
            'CASE_NOT_RESOLVED, CASE_SATISFACTION_NOT_REQUESTED (a case that asks none), ' +
            'CASE_SATISFACTION_ALREADY_ANSWERED; 410 CASE_SATISFACTION_EXPIRED (CASES_SATISFACTION_EXPIRY_DAYS after ' +
            'the resolution); 404 CASE_NOT_FOUND for another account’s case',
          security: security.wallet,
          params: z.object({ id: z.uuid() }),
          body: z
            .object({
              accountId: z.uuid(),
              rating: z.number().int().min(1).max(5),
              comment: z.string().trim().max(2000).optional(),
            })
            .meta({
              examples: [
                { accountId: '6cfaf691-2003-4939-bfe6-5b9427c8f628', rating: 5, comment: 'Quick and kind, thank you.' },
              ],
            }),
          response: {
            201: z.object({
              caseId: z.uuid(),
              caseNumber: z.string(),
              rating: z.number().int(),
              answeredAt: z.iso.datetime(),
            }),
            ...commonErrors,
            404: errorBody,
            409: errorBody,
            410: errorBody,
          },
        },
      },
      async (request, reply) => {
        const { case: c, request: answered } = await rateCase(
          { db, context },
          { caseId: request.params.id, ...request.body },
        );
        return reply.status(201).send({
          caseId: c.id,
          caseNumber: c.number,
          rating: answered.rating ?? request.body.rating,
          answeredAt: (answered.answeredAt ?? context.clock()).toISOString(),
        });
      },
    );

    routes.get(
      '/v1/reports/satisfaction',
      {
        schema: {
          tags: ['reports'],
          summary:
            'Ratings answered in [from, to) (supervisors): overall, per agent who resolved the case and per case ' +
            'type, each with the count, the mean (two decimals) and how many of each rating. Without `to`: now; ' +
            `without \`from\`: ${DEFAULT_REPORT_DAYS} days before \`to\`. 400 CASE_REPORT_RANGE_INVALID when from ` +
            `is not before to or the range exceeds ${MAX_REPORT_DAYS} days`,
          security: security.supervisor,
          querystring: reportPeriodQuery,
          response: { 200: satisfactionReport, ...commonErrors },
        },
      },
      async (request) => {
        const period = reportPeriod(request.query, context.clock());
        if (!period.ok) throw caseErrors.reportRangeInvalid(period.message);
        const { from, to } = period;
        const figures = await ratingFigures(db, { from, to });
        return { from: from.toISOString(), to: to.toISOString(), ...figures };
      },
    );
  },
  { name: 'cases-satisfaction-routes', dependencies: ROUTE_DEPENDENCIES },
);
