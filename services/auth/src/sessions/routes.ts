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
  security,
  tokenPair,
  USER_ROUTE_DEPENDENCIES,
} from '../http-schemas';
import { SECOND_FACTOR_KINDS } from '../step-up/second-factor-provider';
import { userOf } from '../tokens/user-auth';
import { refreshSession } from './refresh';
import { signIn } from './sign-in';
import { endAllUserSessions, endUserSession, listUserSessions, signOut } from './user-sessions';

const mfaRequired = z.object({
  mfaRequired: z.literal(true),
  mfaToken: z.string(),
  /**
   * What the second step accepts for this account: `totp`, `recovery` (codes left), `passkey`; or
   * `email_code` alone (a stepped-up sign-in of an account without a factor: a code was e-mailed).
   */
  methods: z.array(z.enum(SECOND_FACTOR_KINDS)).min(1),
});

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
export const sessionRoutes = fp(
  async (app: FastifyInstance) => {
    const ctx = authContextOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.post(
      '/v1/sessions',
      {
        schema: {
          tags: ['sessions'],
          summary: 'Sign in with email and password',
          description:
            'Unknown email, wrong password, locked and frozen accounts all get the same 401 AUTH_INVALID_CREDENTIALS. ' +
            'With two-factor on (an authenticator app or a passkey), the answer is {mfaRequired, mfaToken, methods} ' +
            'instead of tokens.',
          security: security.wallet,
          body: z.object({ email, password, context }),
          response: { 200: z.union([tokenPair, mfaRequired]), ...errorResponses(400, 401, 429, 503) },
        },
      },
      async (request) => {
        const { kind: _kind, ...result } = await signIn(ctx, request.body);
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
      async (request) => refreshSession(ctx, request.body.refreshToken, request.body.context),
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
        const sessions = await listUserSessions(ctx, userOf(request));
        return {
          items: sessions.map((s) => ({
            id: s.id,
            current: s.current,
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
        await signOut(ctx, userOf(request));
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
        await endUserSession(ctx, userOf(request), request.params.id);
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
        await endAllUserSessions(ctx, userOf(request));
        return reply.status(204).send(null);
      },
    );
  },
  { name: 'auth-session-routes', dependencies: USER_ROUTE_DEPENDENCIES },
);
