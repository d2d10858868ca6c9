import type { SessionRestriction } from '@wallet-guard/db';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { authContextOf } from '../application';
import type { AuthContext } from '../auth-context';
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
  /** `password_change`: a leaked password signed in; only `RESTRICTED_SESSION_ROUTES` answer. */
  restriction: SessionRestriction | null;
}

/**
 * What a restricted session (`password_change`, issue 16) may still call: change the password,
 * sign out, and read its own account (the portal greets the user in their language). Every other
 * route that takes the user's access token answers 403 AUTH_PASSWORD_CHANGE_REQUIRED, and so does
 * the passkey step-up options route for any purpose but `password_change`.
 */
const RESTRICTED_SESSION_ROUTES: ReadonlySet<string> = new Set([
  'POST /v1/accounts/me/password',
  'DELETE /v1/sessions/current',
  'GET /v1/accounts/me',
]);

/** Refuses a restricted user what its restriction does not allow (`allowed`: this call is one it does). */
export function refuseIfRestricted(user: AuthenticatedUser | null, allowed: boolean): void {
  if (user?.restriction && !allowed) throw authErrors.passwordChangeRequired();
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

/**
 * The user of an `Authorization: Bearer` header holding a valid access token of an active session;
 * null for no header or anything else. For routes where the bearer is one way among others to
 * say who is asking (`requireUser` makes it mandatory).
 */
export async function userFromAuthorization(
  ctx: AuthContext,
  authorization: string | undefined,
): Promise<AuthenticatedUser | null> {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization ?? '');
  const claims = match ? await activeAccessClaims(ctx, match[1] as string) : null;
  if (!claims) return null;
  return {
    accountId: claims.sub,
    sessionId: claims.sid,
    amr: claims.amr,
    aal: claims.aal,
    authTime: claims.authTime,
    restriction: claims.restriction,
  };
}

/** The `requireUser` check and the `bearer` authenticator the service kit's `requires()` uses. */
export const userAuthPlugin = fp(
  async (app: FastifyInstance) => {
    const ctx = authContextOf(app);
    app.decorateRequest('user', null);
    app.decorate('requireUser', async (request: FastifyRequest) => {
      const user = await userFromAuthorization(ctx, request.headers.authorization);
      if (!user) throw authErrors.invalidAccessToken();
      refuseIfRestricted(user, RESTRICTED_SESSION_ROUTES.has(`${request.method} ${request.routeOptions.url}`));
      request.user = user;
    });
    // `requires({ apiKey: 'wallet', bearer: true })`: user access tokens carry no roles.
    app.registerAuthenticator('bearer', (role) => {
      if (role) throw new Error(`auth's bearer tokens carry no role (asked for "${role}")`);
      return app.requireUser;
    });
  },
  { name: 'user-auth', dependencies: ['api-keys', 'auth-application'], fastify: '5.x' },
);
