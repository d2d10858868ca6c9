import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuthDeps } from '../deps';
import { context, errorResponses, noContent, password, security, stepUpFields } from '../http-schemas';
import { userOf } from '../tokens/user-auth';
import { changePassword } from './change-password';

export async function passwordRoutes(app: FastifyInstance, { deps }: { deps: AuthDeps }): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();

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
      await changePassword(deps, userOf(request), request.body);
      return reply.status(204).send(null);
    },
  );
}
