import { clientContext, errorBody } from '@wallet-guard/contracts';
import { requires } from '@wallet-guard/http';
import { z } from 'zod';
import { passkeyProof } from './passkeys/webauthn-json';

/** Who may call a route, per kind of caller: documented in OpenAPI and enforced by the service kit. */
export const security = {
  /** The wallet backend's X-Api-Key (scope wallet). */
  wallet: requires({ apiKey: 'wallet' }),
  /** The wallet backend's key plus the user's access token. */
  user: requires({ apiKey: 'wallet', bearer: true }),
  /** Our own services' X-Api-Key (scope internal). */
  internal: requires({ apiKey: 'internal' }),
};

/** The error body under each listed status, for a route's `response` schema. */
export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, errorBody])) as Record<number, typeof errorBody>;

/** The end user's context the wallet backend forwards (all optional). */
export const context = clientContext.default({});

/** Bounded so a huge body cannot make hashing or normalising expensive; the policy says the real limits. */
export const password = z.string().min(1).max(1024);

export const email = z.string().trim().min(3).max(254);

/** A single-use token from a notification (or a refresh token). */
export const opaqueToken = z.string().min(20).max(200);

export const noContent = z.null().describe('No content');

/** A signed-in session: what sign-in, its second step and refresh answer. */
export const tokenPair = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int().positive(),
  sessionId: z.uuid(),
  /**
   * Only on a restricted session: `password_change` (the password is on the leaked-password list).
   * Every user route but POST /v1/accounts/me/password, DELETE /v1/sessions/current and GET
   * /v1/accounts/me answers 403 AUTH_PASSWORD_CHANGE_REQUIRED until the password is changed.
   */
  restriction: z.literal('password_change').optional(),
});

/** A 6-digit authenticator code (RFC 6238). */
export const totpCode = z.string().regex(/^\d{6}$/, { message: 'must be 6 digits' });

/** The 6 digits of a sign-in code sent by e-mail (issue 16). */
export const emailCode = z.string().regex(/^\d{6}$/, { message: 'must be 6 digits' });

/** A recovery code as the user may type it (`xxxxx-xxxxx`; case, spaces and dashes do not matter). */
export const recoveryCode = z.string().min(10).max(32);

/**
 * The second factor unlock, reset and password change take (needed only when two-factor is on):
 * a code, a recovery code, or a passkey's answer (options from POST /v1/passkeys/step-up-options).
 */
export const stepUpFields = {
  totpCode: totpCode.optional(),
  recoveryCode: recoveryCode.optional(),
  passkey: passkeyProof.optional(),
};

/** Route plugins need the service kit (errors, docs), the API keys and the application context. */
export const ROUTE_DEPENDENCIES = ['service-kit', 'api-keys', 'auth-application'];

/** Routes for the signed-in user also need the Bearer check. */
export const USER_ROUTE_DEPENDENCIES = [...ROUTE_DEPENDENCIES, 'user-auth'];
