import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { authContextOf } from '../application';
import {
  context,
  email,
  errorResponses,
  noContent,
  opaqueToken,
  password,
  ROUTE_DEPENDENCIES,
  security,
  stepUpFields,
} from '../http-schemas';
import { acceptPasswordResetRequest, confirmPasswordReset } from './reset';

/** Forgotten password: a link by notification, then a new password with its token. */
export const passwordResetRoutes = fp(
  async (app: FastifyInstance) => {
    const ctx = authContextOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.post(
      '/v1/password-resets',
      {
        schema: {
          tags: ['passwords'],
          summary: 'Ask for a password reset link (always 202: the answer never says whether the account exists)',
          security: security.wallet,
          body: z.object({ email, context }),
          response: { 202: z.object({ status: z.literal('accepted') }), ...errorResponses(400, 401) },
        },
      },
      async (request, reply) => {
        acceptPasswordResetRequest(ctx, request.body, request.log);
        return reply.status(202).send({ status: 'accepted' as const });
      },
    );

    routes.post(
      '/v1/password-resets/confirm',
      {
        schema: {
          tags: ['passwords'],
          summary: 'Set a new password with a reset token; lifts any lock and ends every session',
          security: security.wallet,
          body: z.object({ token: opaqueToken, newPassword: password, ...stepUpFields, context }),
          response: { 204: noContent, ...errorResponses(400, 401, 422, 503) },
        },
      },
      async (request, reply) => {
        await confirmPasswordReset(ctx, request.body);
        return reply.status(204).send(null);
      },
    );
  },
  { name: 'auth-password-reset-routes', dependencies: ROUTE_DEPENDENCIES },
);
