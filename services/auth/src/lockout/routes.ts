import { internalUnlockBody } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuthDeps } from '../deps';
import { context, errorResponses, noContent, opaqueToken, security, stepUpFields } from '../http-schemas';
import { unlockByAgent, unlockWithToken } from './unlock';

/** Lifting a lock: the owner with the unlock link, or an agent from a case. */
export async function unlockRoutes(app: FastifyInstance, { deps }: { deps: AuthDeps }): Promise<void> {
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
      await unlockWithToken(deps, request.body);
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
      await unlockByAgent(deps, request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );
}
