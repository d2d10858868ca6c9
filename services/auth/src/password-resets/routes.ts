import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuthDeps } from '../deps';
import {
  context,
  email,
  errorResponses,
  noContent,
  opaqueToken,
  password,
  security,
  stepUpFields,
} from '../http-schemas';
import { confirmPasswordReset, requestPasswordReset } from './reset';

/** Forgotten password: a link by notification, then a new password with its token. */
export async function passwordResetRoutes(app: FastifyInstance, { deps }: { deps: AuthDeps }): Promise<void> {
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
      // Answered before the account is even looked up: an existing account's link takes a
      // transaction an unknown email does not, and the time to answer must not tell them apart.
      const { email, context } = request.body;
      deps.background.run(
        () => requestPasswordReset(deps, email, context),
        (error) => request.log.error({ err: error }, 'password reset request failed after answering'),
      );
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
      await confirmPasswordReset(deps, request.body);
      return reply.status(204).send(null);
    },
  );
}
