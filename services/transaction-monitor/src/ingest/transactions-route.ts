import { transactionBatch, transactionBatchResult } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { AppError, errorBody, type ZodTypeProvider } from '@wallet-guard/http';
import type { EventBus } from '@wallet-guard/messaging';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-kit';
import { checkBatch, submitTransactions } from './submit-transactions';

export interface IngestRoutesOptions {
  db: Kysely<Database>;
  bus: EventBus;
}

/** `POST /v1/transactions` (scope wallet): transactions over HTTP, for wallets without Kafka. */
export const ingestRoutes = fp<IngestRoutesOptions>(
  async (app, { db, bus }) => {
    app.withTypeProvider<ZodTypeProvider>().post(
      '/v1/transactions',
      {
        schema: {
          tags: ['transactions'],
          summary: 'Submit up to 500 wallet transactions for monitoring',
          description:
            'Each item is checked on its own and answered with its acceptance or the reason it was refused. ' +
            'Accepted transactions enter the same pipeline as wallet.transactions.v1 records; a transactionId ' +
            'already applied is accepted and changes nothing.',
          security: security.wallet,
          body: transactionBatch,
          response: { 202: transactionBatchResult, ...commonErrors, 503: errorBody },
        },
      },
      async (request, reply) => {
        const { results, events } = checkBatch(request.body.transactions);
        try {
          await submitTransactions({ db, bus }, events);
        } catch (error) {
          request.log.error({ err: error }, 'could not hand transactions to the pipeline');
          throw new AppError(
            503,
            'TXM_INGEST_UNAVAILABLE',
            'Transactions cannot be taken right now; retry',
            undefined,
            {
              'retry-after': '5',
            },
          );
        }
        return reply.status(202).send({
          accepted: events.length,
          rejected: results.length - events.length,
          results,
        });
      },
    );
  },
  { name: 'txm-ingest-routes', dependencies: ROUTE_DEPENDENCIES },
);
