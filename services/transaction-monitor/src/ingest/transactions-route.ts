import { transactionBatch, transactionBatchResult } from '@wallet-guard/contracts';
import { errorBody, type ZodTypeProvider } from '@wallet-guard/http';
import fp from 'fastify-plugin';
import { monitorOf } from '../application';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-conventions';
import { takeTransactionBatch } from './submit-transactions';

/** `POST /v1/transactions` (scope wallet): transactions over HTTP, for wallets without Kafka. */
export const ingestRoutes = fp(
  async (app) => {
    const { db, bus } = monitorOf(app);
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
      async (request, reply) =>
        reply.status(202).send(await takeTransactionBatch({ db, bus, log: request.log }, request.body.transactions)),
    );
  },
  { name: 'txm-ingest-routes', dependencies: ROUTE_DEPENDENCIES },
);
