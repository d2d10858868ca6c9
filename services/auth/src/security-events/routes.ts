import { securityEventsPage as pageSchema, securityEventsQuery } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuthDeps } from '../deps';
import { errorResponses, security } from '../http-schemas';
import { securityEventsPage } from './events-store';

/** An account's security history for agents (support-cases), newest first. */
export async function securityEventRoutes(app: FastifyInstance, { deps }: { deps: AuthDeps }): Promise<void> {
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
    async (request) => securityEventsPage(deps.db, request.params.id, request.query),
  );
}
