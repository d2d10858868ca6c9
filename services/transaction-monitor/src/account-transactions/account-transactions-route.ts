import { accountId, accountTransactionsPage, accountTransactionsQuery } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { monitorOf } from '../application';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-conventions';
import { listAccountTransactions } from './account-transactions-repo';

/**
 * `GET /v1/accounts/:accountId/transactions` (scope wallet): the account's newest transactions for
 * the wallet's own customer, e.g. to choose the ones a dispute is about in the account portal. The
 * caller vouches for the account, as for support-cases' customer routes; nothing of another
 * account is ever read. An account the monitor has not seen answers an empty page.
 */
export const accountTransactionsRoutes = fp(
  async (app) => {
    const { db } = monitorOf(app);
    app.withTypeProvider<ZodTypeProvider>().get(
      '/v1/accounts/:accountId/transactions',
      {
        schema: {
          tags: ['accounts'],
          summary: "An account's transactions, newest first",
          description:
            "Newest first by the wallet's occurredAt (then transactionId), `limit` (1-100, default 20) at a time; " +
            'pass `nextCursor` back as `before` for older ones. Amounts are minor units of `currency`. Kept as long ' +
            'as MONITOR_RETENTION_DAYS. 400 TXM_VALIDATION_FAILED for a bad account id or limit, ' +
            '400 TXM_INVALID_CURSOR for a `before` this service did not issue.',
          security: security.wallet,
          params: z.object({ accountId }),
          querystring: accountTransactionsQuery,
          response: { 200: accountTransactionsPage, ...commonErrors },
        },
      },
      async (request) => listAccountTransactions(db, request.params.accountId, request.query),
    );
  },
  { name: 'txm-account-transactions-routes', dependencies: ROUTE_DEPENDENCIES },
);
