import { deliveriesPage, deliveriesQuery } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import fp from 'fastify-plugin';
import { notifierOf } from '../application';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-conventions';
import { listDeliveries } from './deliveries-store';

/**
 * Delivery status for support (scope internal): "unlock link sent 12:03, accepted by the mail
 * server". Addresses are masked; no message body or token is ever kept to show.
 */
export const deliveryRoutes = fp(
  async (app) => {
    const { db } = notifierOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();
    routes.get(
      '/v1/deliveries',
      {
        schema: {
          tags: ['deliveries'],
          summary: "An account's messages and what became of each, newest first",
          description:
            'One item per message and channel: status (pending, sending, retrying, sent, failed), attempts, ' +
            "the server's answer or the last error. `caseId` narrows to one case's messages. Errors: " +
            '`NOTIFIER_INVALID_CURSOR` (400) for a cursor this service did not issue.',
          security: security.internal,
          querystring: deliveriesQuery,
          response: { 200: deliveriesPage, ...commonErrors },
        },
      },
      async (request) => listDeliveries(db, request.query),
    );
  },
  { name: 'notifier-delivery-routes', dependencies: ROUTE_DEPENDENCIES },
);
