import { scoreRequest, scoreResult } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { ZodTypeProvider } from '@wallet-guard/http';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-kit';
import type { RulesStore } from './rules-store';
import type { DecisionThresholds } from './score';
import { scoreProposal } from './score-proposal';

export interface ScoreRoutesOptions {
  db: Kysely<Database>;
  rules: RulesStore;
  thresholds: DecisionThresholds;
}

/** `POST /v1/score` (scope wallet): pre-authorisation scoring that changes no state. */
export const scoreRoutes = fp<ScoreRoutesOptions>(
  async (app, { db, rules, thresholds }) => {
    app.withTypeProvider<ZodTypeProvider>().post(
      '/v1/score',
      {
        schema: {
          tags: ['scoring'],
          summary: 'Score a proposed transaction before moving money',
          description:
            'Same rules, profile and security timeline as the pipeline; nothing is stored or announced. ' +
            'Submit the transaction afterwards (Kafka or POST /v1/transactions) for it to count.',
          security: security.wallet,
          body: scoreRequest,
          response: { 200: scoreResult, ...commonErrors },
        },
      },
      async (request) => scoreProposal(db, rules.current(), thresholds, request.body),
    );
  },
  { name: 'txm-score-routes', dependencies: ROUTE_DEPENDENCIES },
);
