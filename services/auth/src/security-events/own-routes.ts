import { securityEventsPage as pageSchema, securityEventsQuery } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { authContextOf } from '../application';
import { errorResponses, security, USER_ROUTE_DEPENDENCIES } from '../http-schemas';
import { userOf } from '../tokens/user-auth';
import { securityEventsPage } from './events-store';

/**
 * The signed-in user's own security history ("recent activity"), newest first: the same page agents
 * read, but the account comes from the access token only, so no one can ask for another's. The
 * sign-in risk assessments are left out: they are for agents and the monitor, and their signals
 * would show whoever holds the session what the risk policy looks for.
 */
export const ownSecurityEventRoutes = fp(
  async (app: FastifyInstance) => {
    const ctx = authContextOf(app);
    app.withTypeProvider<ZodTypeProvider>().get(
      '/v1/accounts/me/security-events',
      {
        schema: {
          tags: ['accounts'],
          summary: 'My security events, newest first, as published on auth.security-events.v1',
          security: security.user,
          querystring: securityEventsQuery,
          response: { 200: pageSchema, ...errorResponses(400, 401) },
        },
      },
      async (request) =>
        securityEventsPage(ctx.db, userOf(request).accountId, request.query, { hideTypes: ['sign_in.risk_assessed'] }),
    );
  },
  { name: 'auth-own-security-event-routes', dependencies: USER_ROUTE_DEPENDENCIES },
);
