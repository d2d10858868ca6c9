import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { authContextOf } from '../application';
import { authErrors } from '../errors';
import { activeAccessClaims } from './access-check';

/** The end user a request acts for, from a valid access token of an active session. */
export interface AuthenticatedUser {
  accountId: string;
  sessionId: string;
  amr: string[];
  aal: number;
  /** When the sign-in behind this session checked the credentials (refreshes keep it). */
  authTime: Date;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook (after the API key's): a valid `Authorization: Bearer` access token (`requires({ bearer: true })`). */
    requireUser: onRequestHookHandler;
  }
  interface FastifyRequest {
    user: AuthenticatedUser | null;
  }
}

/** The user behind a route guarded by `requireUser` (which guarantees one). */
export function userOf(request: FastifyRequest): AuthenticatedUser {
  if (!request.user) throw authErrors.invalidAccessToken();
  return request.user;
}

/** The `requireUser` check and the `bearer` authenticator the service kit's `requires()` uses. */
export const userAuthPlugin = fp(
  async (app: FastifyInstance) => {
    const ctx = authContextOf(app);
    app.decorateRequest('user', null);
    app.decorate('requireUser', async (request: FastifyRequest) => {
      const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(request.headers.authorization ?? '');
      const claims = match ? await activeAccessClaims(ctx, match[1] as string) : null;
      if (!claims) throw authErrors.invalidAccessToken();
      request.user = {
        accountId: claims.sub,
        sessionId: claims.sid,
        amr: claims.amr,
        aal: claims.aal,
        authTime: claims.authTime,
      };
    });
    // `requires({ apiKey: 'wallet', bearer: true })`: user access tokens carry no roles.
    app.registerAuthenticator('bearer', (role) => {
      if (role) throw new Error(`auth's bearer tokens carry no role (asked for "${role}")`);
      return app.requireUser;
    });
  },
  { name: 'user-auth', dependencies: ['api-keys', 'auth-application'], fastify: '5.x' },
);
