import { internalUnlockBody } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { authContextOf } from '../application';
import {
  context,
  errorResponses,
  noContent,
  opaqueToken,
  ROUTE_DEPENDENCIES,
  security,
  stepUpFields,
} from '../http-schemas';
import { unlockByAgent, unlockWithToken } from './unlock';

/** Lifting a lock: the owner with the unlock link, or an agent from a case. */
export const unlockRoutes = fp(
  async (app: FastifyInstance) => {
    const ctx = authContextOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.post(
      '/v1/unlocks',
      {
        schema: {
          tags: ['lockout'],
          summary: 'Unlock the account with the single-use token of an unlock_link notification',
          security: security.wallet,
          body: z.object({ token: opaqueToken, ...stepUpFields, context }),
          response: { 204: noContent, ...errorResponses(400, 401) },
        },
      },
      async (request, reply) => {
        await unlockWithToken(ctx, request.body);
        return reply.status(204).send(null);
      },
    );

    routes.post(
      '/internal/v1/accounts/:id/unlock',
      {
        schema: {
          tags: ['internal'],
          summary: 'Lift every lock of an account for a support case',
          security: security.internal,
          params: z.object({ id: z.uuid() }),
          body: internalUnlockBody,
          response: { 204: noContent, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await unlockByAgent(ctx, request.params.id, request.body);
        return reply.status(204).send(null);
      },
    );
  },
  { name: 'auth-unlock-routes', dependencies: ROUTE_DEPENDENCIES },
);
