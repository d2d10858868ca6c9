import { authPasswordCheck } from '@wallet-guard/contracts';
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
  password,
  security,
  stepUpFields,
  USER_ROUTE_DEPENDENCIES,
} from '../http-schemas';
import { userOf } from '../tokens/user-auth';
import { changePassword } from './change-password';

export const passwordRoutes = fp(
  async (app: FastifyInstance) => {
    const ctx = authContextOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.post(
      '/v1/password-policy/check',
      {
        schema: {
          tags: ['passwords'],
          summary: 'Check a password against the policy; nothing is stored',
          description:
            'For feedback as the user types (before registration or a reset). Every broken rule is listed; ' +
            'none means the password may be used. With `email`, the rules about the e-mail apply too. ' +
            'The history rule needs an account and is not checked here. 503 AUTH_BUSY when the strength ' +
            'estimator is saturated (retry later).',
          security: security.wallet,
          body: z.object({ password, email: email.optional() }),
          response: { 200: authPasswordCheck, ...errorResponses(400, 401, 503) },
        },
      },
      async (request) => {
        const violations = await ctx.policy.violations(request.body.password, request.body.email ?? '');
        return { violations };
      },
    );

    routes.post(
      '/v1/accounts/me/password',
      {
        schema: {
          tags: ['passwords'],
          summary: 'Change my password (the current one is required); my other sessions end',
          description: 'With two-factor on, a code (totpCode) or a recovery code is required too.',
          security: security.user,
          body: z.object({ currentPassword: password, newPassword: password, ...stepUpFields, context }),
          response: { 204: noContent, ...errorResponses(400, 401, 422, 503) },
        },
      },
      async (request, reply) => {
        await changePassword(ctx, userOf(request), request.body);
        return reply.status(204).send(null);
      },
    );
  },
  { name: 'auth-password-routes', dependencies: USER_ROUTE_DEPENDENCIES },
);
