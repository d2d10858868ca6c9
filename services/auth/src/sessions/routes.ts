import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuthDeps } from '../deps';
import { authErrors } from '../errors';
import { context, email, errorResponses, noContent, opaqueToken, password, security, tokenPair } from '../http-schemas';
import { userOf } from '../tokens/user-auth';
import { refreshSession } from './refresh';
import { listActiveSessions, revokeAllSessions, revokeSession } from './sessions-store';
import { signIn } from './sign-in';

const mfaRequired = z.object({ mfaRequired: z.literal(true), mfaToken: z.string() });

const sessionView = z.object({
  id: z.uuid(),
  current: z.boolean(),
  createdAt: z.iso.datetime({ offset: true }),
  lastUsedAt: z.iso.datetime({ offset: true }),
  expiresAt: z.iso.datetime({ offset: true }),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  deviceId: z.string().nullable(),
  amr: z.array(z.string()),
});

/** Sign-in, refresh, and the user's own sessions. */
export async function sessionRoutes(app: FastifyInstance, { deps }: { deps: AuthDeps }): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.post(
    '/v1/sessions',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Sign in with email and password',
        description:
          'Unknown email, wrong password, locked and frozen accounts all get the same 401 AUTH_INVALID_CREDENTIALS. ' +
          'With two-factor on, the answer is {mfaRequired, mfaToken} instead of tokens.',
        security: security.wallet,
        body: z.object({ email, password, context }),
        response: { 200: z.union([tokenPair, mfaRequired]), ...errorResponses(400, 401, 429, 503) },
      },
    },
    async (request) => {
      const { kind: _kind, ...result } = await signIn(deps, request.body);
      return result;
    },
  );

  routes.post(
    '/v1/sessions/refresh',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Swap a refresh token for a new pair (each refresh token works once)',
        description: 'Presenting a used refresh token revokes its whole session.',
        security: security.wallet,
        body: z.object({ refreshToken: opaqueToken, context }),
        response: { 200: tokenPair, ...errorResponses(400, 401) },
      },
    },
    async (request) => refreshSession(deps, request.body.refreshToken, request.body.context),
  );

  routes.get(
    '/v1/sessions',
    {
      schema: {
        tags: ['sessions'],
        summary: "The user's active sessions, most recently used first",
        security: security.user,
        response: { 200: z.object({ items: z.array(sessionView) }), ...errorResponses(401) },
      },
    },
    async (request) => {
      const me = userOf(request);
      const sessions = await listActiveSessions(deps.db, me.accountId, deps.clock());
      return {
        items: sessions.map((s) => ({
          id: s.id,
          current: s.id === me.sessionId,
          createdAt: s.createdAt.toISOString(),
          lastUsedAt: s.lastUsedAt.toISOString(),
          expiresAt: s.expiresAt.toISOString(),
          ip: s.ip,
          userAgent: s.userAgent,
          deviceId: s.deviceId,
          amr: s.amr,
        })),
      };
    },
  );

  routes.delete(
    '/v1/sessions/current',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Sign out: end the session of this access token',
        security: security.user,
        response: { 204: noContent, ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      const me = userOf(request);
      await revokeSession(deps.db, me.accountId, me.sessionId, 'signed_out', deps.clock());
      return reply.status(204).send(null);
    },
  );

  routes.delete(
    '/v1/sessions/:id',
    {
      schema: {
        tags: ['sessions'],
        summary: "End one of the user's sessions",
        security: security.user,
        params: z.object({ id: z.uuid() }),
        response: { 204: noContent, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const me = userOf(request);
      if (!(await revokeSession(deps.db, me.accountId, request.params.id, 'revoked_by_user', deps.clock()))) {
        throw authErrors.sessionNotFound();
      }
      return reply.status(204).send(null);
    },
  );

  routes.post(
    '/v1/sessions/revoke-all',
    {
      schema: {
        tags: ['sessions'],
        summary: 'End every session of the user, this one included',
        security: security.user,
        response: { 204: noContent, ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      await revokeAllSessions(deps.db, userOf(request).accountId, 'revoked_all_by_user', deps.clock());
      return reply.status(204).send(null);
    },
  );
}
