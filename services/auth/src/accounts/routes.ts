import { authOwnAccount, internalAccountView as viewSchema } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { authContextOf } from '../application';
import { authErrors } from '../errors';
import { context, email, errorResponses, password, security, USER_ROUTE_DEPENDENCIES } from '../http-schemas';
import { userOf } from '../tokens/user-auth';
import { internalAccountView } from './account-view';
import { findAccount } from './accounts-store';
import { register } from './register';

/** Registration, the signed-in user's own account, and the account as agents see it. */
export const accountRoutes = fp(
  async (app: FastifyInstance) => {
    const ctx = authContextOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.post(
      '/v1/accounts',
      {
        schema: {
          tags: ['accounts'],
          summary: 'Create an account',
          description:
            'Password policy: 12-128 characters after NFKC, not a common password, not like the email, ' +
            'zxcvbn score of 3 or more. A refusal lists every reason.',
          security: security.wallet,
          body: z.object({
            email: email.pipe(z.email()),
            password,
            /** BCP 47, for the notifications the wallet sends. */
            locale: z
              .string()
              .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
              .max(35)
              .default('en'),
            context,
          }),
          response: { 201: z.object({ accountId: z.uuid() }), ...errorResponses(400, 401, 409, 422, 503) },
        },
      },
      async (request, reply) => {
        const accountId = await register(ctx, request.body);
        return reply.status(201).send({ accountId });
      },
    );

    routes.get(
      '/v1/accounts/me',
      {
        schema: {
          tags: ['accounts'],
          summary: 'My account: its id, e-mail address and language',
          description: 'For greeting the signed-in user in their language (the locale given at registration).',
          security: security.user,
          response: { 200: authOwnAccount, ...errorResponses(401) },
        },
      },
      async (request) => {
        const account = await findAccount(ctx.db, userOf(request).accountId);
        // The token's session was active a moment ago; an account gone since is a token that no longer works.
        if (!account) throw authErrors.invalidAccessToken();
        return { accountId: account.id, email: account.email, locale: account.locale };
      },
    );

    routes.get(
      '/internal/v1/accounts/:id',
      {
        schema: {
          tags: ['internal'],
          summary: 'An account for agents: status, locks, two-factor, sessions, created and last sign-in',
          security: security.internal,
          params: z.object({ id: z.uuid() }),
          response: { 200: viewSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => internalAccountView(ctx, request.params.id),
    );
  },
  { name: 'auth-account-routes', dependencies: USER_ROUTE_DEPENDENCIES },
);
