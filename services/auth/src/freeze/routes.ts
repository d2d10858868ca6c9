import { internalFreezeBody, internalUnfreezeBody } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { authContextOf } from '../application';
import { context, errorResponses, noContent, opaqueToken, security, USER_ROUTE_DEPENDENCIES } from '../http-schemas';
import { userOf } from '../tokens/user-auth';
import { freezeById, freezeWithToken, unfreeze } from './freeze';

const accountParams = z.object({ id: z.uuid() });

/** The theft report: the user (signed in, or from a "was this you?" link) or an agent freezes. */
export const freezeRoutes = fp(
  async (app: FastifyInstance) => {
    const ctx = authContextOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.post(
      '/v1/accounts/me/freeze',
      {
        schema: {
          tags: ['freeze'],
          summary: 'Freeze my account: every session ends and sign-in stops until an agent unfreezes it',
          security: security.user,
          body: z.object({ reason: z.string().trim().max(500).optional(), context }).default({ context: {} }),
          response: { 204: noContent, ...errorResponses(400, 401) },
        },
      },
      async (request, reply) => {
        const { reason, context: userContext } = request.body;
        await freezeById(ctx, userOf(request).accountId, { by: 'user', reason, context: userContext });
        return reply.status(204).send(null);
      },
    );

    routes.post(
      '/v1/freezes',
      {
        schema: {
          tags: ['freeze'],
          summary: 'Freeze the account with the freeze token of a "was this you?" notification (single use)',
          security: security.wallet,
          body: z.object({ token: opaqueToken, context }),
          response: { 204: noContent, ...errorResponses(400, 401) },
        },
      },
      async (request, reply) => {
        await freezeWithToken(ctx, request.body.token, request.body.context);
        return reply.status(204).send(null);
      },
    );

    routes.post(
      '/internal/v1/accounts/:id/freeze',
      {
        schema: {
          tags: ['internal'],
          summary: 'Freeze an account for a case (agent) or on a service decision (system)',
          security: security.internal,
          params: accountParams,
          body: internalFreezeBody,
          response: { 204: noContent, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const { by, actor, caseId, reason } = request.body;
        await freezeById(ctx, request.params.id, { by, actor, caseId, reason, context: {} });
        return reply.status(204).send(null);
      },
    );

    routes.post(
      '/internal/v1/accounts/:id/unfreeze',
      {
        schema: {
          tags: ['internal'],
          summary: 'Unfreeze an account (agents only); sign-in works again',
          security: security.internal,
          params: accountParams,
          body: internalUnfreezeBody,
          response: { 204: noContent, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await unfreeze(ctx, request.params.id, request.body);
        return reply.status(204).send(null);
      },
    );
  },
  { name: 'auth-freeze-routes', dependencies: USER_ROUTE_DEPENDENCIES },
);
