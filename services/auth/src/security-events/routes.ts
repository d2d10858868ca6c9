import { securityEventsPage as pageSchema, securityEventsQuery } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { authContextOf } from '../application';
import { errorResponses, ROUTE_DEPENDENCIES, security } from '../http-schemas';
import { securityEventsPage } from './events-store';

/** An account's security history for agents (support-cases), newest first. */
export const securityEventRoutes = fp(
  async (app: FastifyInstance) => {
    const ctx = authContextOf(app);
    app.withTypeProvider<ZodTypeProvider>().get(
      '/internal/v1/accounts/:id/security-events',
      {
        schema: {
          tags: ['internal'],
          summary: "An account's security events, newest first, as published on auth.security-events.v1",
          security: security.internal,
          params: z.object({ id: z.uuid() }),
          querystring: securityEventsQuery,
          response: { 200: pageSchema, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => securityEventsPage(ctx.db, request.params.id, request.query),
    );
  },
  { name: 'auth-security-event-routes', dependencies: ROUTE_DEPENDENCIES },
);
