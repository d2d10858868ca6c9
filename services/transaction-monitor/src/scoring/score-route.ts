import { scoreRequest, scoreResult } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import fp from 'fastify-plugin';
import { monitorOf } from '../application';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-conventions';
import { scoreProposal } from './score-proposal';

/** `POST /v1/score` (scope wallet): pre-authorisation scoring that changes no state. */
export const scoreRoutes = fp(
  async (app) => {
    const { db, rules, thresholds, confirmations, confirmationRequiredAt, lists } = monitorOf(app);
    app.withTypeProvider<ZodTypeProvider>().post(
      '/v1/score',
      {
        schema: {
          tags: ['scoring'],
          summary: 'Score a proposed transaction before moving money',
          description:
            'Same rules, profile and security timeline as the pipeline; nothing is stored or announced. ' +
            'Submit the transaction afterwards (Kafka or POST /v1/transactions) for it to count. ' +
            '`confirmationRequired`: have the owner confirm the payment (auth POST /v1/confirmations) and score it ' +
            'again with `confirmationToken`; a valid token bound to this account, transaction id, amount, currency ' +
            'and counterparty lowers the score (reason owner_confirmed) and answers `confirmed: true`. An invalid ' +
            'token, or auth keys that cannot be fetched, leave the transaction unconfirmed (never an error).',
          security: security.wallet,
          body: scoreRequest,
          response: { 200: scoreResult, ...commonErrors },
        },
      },
      async (request) =>
        scoreProposal(
          {
            db,
            rules: rules.current(),
            thresholds,
            confirmations,
            confirmationRequiredAt,
            lists: await lists.current(db),
          },
          request.body,
        ),
    );
  },
  { name: 'txm-score-routes', dependencies: ROUTE_DEPENDENCIES },
);
