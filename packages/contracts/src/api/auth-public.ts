import { z } from 'zod';
import { clientContext } from '../envelope';
import { securityEventsPage, securityEventsQuery } from './auth-internal';
import { type ApiEndpoint, emptyAnswer } from './endpoint';

/**
 * HTTP shapes of the auth service's public API (scope `wallet`) as the account portal calls it:
 * sign-in and its second step, refresh and introspection, and the single-use tokens of the
 * notifier's e-mails (unlock, password reset, "this wasn't me"). Each token lives in the body
 * only, never in a path or query, so no access log keeps it.
 */

/** A signed-in session: what sign-in, its second step and refresh answer. */
export const authTokenPair = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int().positive(),
  sessionId: z.uuid(),
});
export type AuthTokenPair = z.infer<typeof authTokenPair>;

/** A right password on an account with two-factor on: the second step takes this token (5 minutes, 5 tries). */
export const authMfaRequired = z.object({ mfaRequired: z.literal(true), mfaToken: z.string() });

/** The second factor unlock and reset take when two-factor is on: a 6-digit code or a recovery code. */
const stepUp = {
  totpCode: z.string().optional(),
  recoveryCode: z.string().optional(),
};

export const authIntrospection = z.union([
  z.object({
    active: z.literal(true),
    /** The account id. */
    sub: z.uuid(),
    /** The session id. */
    sid: z.uuid(),
    amr: z.array(z.string()),
    aal: z.number().int(),
    /** Expiry, seconds since the epoch. */
    exp: z.number().int(),
  }),
  z.object({ active: z.literal(false) }),
]);

/** One broken password rule: a stable `reason`, an English `message`, zxcvbn's advice when too weak. */
export const authPasswordViolation = z.object({
  reason: z.string(),
  message: z.string(),
  feedback: z.object({ warning: z.string().nullable(), suggestions: z.array(z.string()) }).optional(),
});
export type AuthPasswordViolation = z.infer<typeof authPasswordViolation>;

/** The policy's verdict on a password: every broken rule, none when it may be used. */
export const authPasswordCheck = z.object({ violations: z.array(authPasswordViolation) });

/** The signed-in user's own account: what the portal needs to greet them in their language. */
export const authOwnAccount = z.object({
  accountId: z.uuid(),
  email: z.string(),
  /** BCP 47, as given at registration. */
  locale: z.string(),
});

/** Whether two-step verification is on for the signed-in account. */
export const authTwoFactorStatus = z.object({
  enabled: z.boolean(),
  enrolledAt: z.string().nullable(),
  recoveryCodesLeft: z.number().int().nonnegative(),
});

/** A started enrolment: the new secret (base32) and its otpauth URI; off until a code confirms it. */
export const authTwoFactorEnrolment = z.object({ secret: z.string(), otpauthUri: z.string() });

/** Ten single-use recovery codes, answered once (auth keeps only their hashes). */
export const authRecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });

/** One of the signed-in user's sessions, as auth lists them (no place: auth keeps the IP only). */
export const authUserSession = z.object({
  id: z.uuid(),
  /** The session of the access token that asked. */
  current: z.boolean(),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type AuthUserSession = z.infer<typeof authUserSession>;

/**
 * The auth public API (scope `wallet`, `x-api-key`), as `createServiceClient` from
 * `@wallet-guard/http` calls it. Refusals come back as `refused` with auth's code:
 * AUTH_INVALID_CREDENTIALS (also for locked and frozen accounts: the answer never says which),
 * AUTH_RATE_LIMITED (429, too many failures from one IP), AUTH_SECOND_FACTOR_INVALID,
 * AUTH_INVALID_TOKEN (unknown, used, expired or revoked), AUTH_PASSWORD_POLICY (422, `details.reasons`).
 */
export const authPublicApi = {
  /** Password sign-in: tokens, or `{ mfaRequired, mfaToken }` when two-factor is on. */
  signIn: {
    method: 'POST',
    path: '/v1/sessions',
    body: z.object({ email: z.string(), password: z.string(), context: clientContext }),
    responses: { 200: z.union([authTokenPair, authMfaRequired]) },
  },
  /** The second sign-in step: the mfaToken with a code or a recovery code (exactly one). */
  signInSecondFactor: {
    method: 'POST',
    path: '/v1/sessions/mfa',
    body: z.object({
      mfaToken: z.string(),
      code: z.string().optional(),
      recoveryCode: z.string().optional(),
      context: clientContext,
    }),
    responses: { 200: authTokenPair },
  },
  /** A new pair for a refresh token (single use: presenting a used one ends the session). */
  refreshSession: {
    method: 'POST',
    path: '/v1/sessions/refresh',
    body: z.object({ refreshToken: z.string(), context: clientContext }),
    responses: { 200: authTokenPair },
  },
  /** Whether an access token is valid now (its session not ended), and for which account. */
  introspect: {
    method: 'POST',
    path: '/v1/tokens/introspect',
    body: z.object({ token: z.string() }),
    responses: { 200: authIntrospection },
  },
  /** Lifts the account's locks with an unlock e-mail's token (and the second factor when on). */
  unlockWithToken: {
    method: 'POST',
    path: '/v1/unlocks',
    body: z.object({ token: z.string(), ...stepUp, context: clientContext }),
    responses: { 204: emptyAnswer },
  },
  /** Sends a reset link if the account exists; always 202, so the answer never tells. */
  requestPasswordReset: {
    method: 'POST',
    path: '/v1/password-resets',
    body: z.object({ email: z.string(), context: clientContext }),
    responses: { 202: z.object({ status: z.literal('accepted') }) },
  },
  /** A new password with a reset e-mail's token: lifts any lock and ends every session. */
  confirmPasswordReset: {
    method: 'POST',
    path: '/v1/password-resets/confirm',
    body: z.object({ token: z.string(), newPassword: z.string(), ...stepUp, context: clientContext }),
    responses: { 204: emptyAnswer },
  },
  /** "This wasn't me": freezes the account with a "was this you?" e-mail's token. */
  freezeWithToken: {
    method: 'POST',
    path: '/v1/freezes',
    body: z.object({ token: z.string(), context: clientContext }),
    responses: { 204: emptyAnswer },
  },
  /**
   * The password policy's verdict without storing anything (feedback as the user types). Without
   * `email` the rules about the e-mail are skipped; the history rule needs an account, so never.
   */
  checkPassword: {
    method: 'POST',
    path: '/v1/password-policy/check',
    body: z.object({ password: z.string(), email: z.string().optional() }),
    responses: { 200: authPasswordCheck },
  },
  /** Sign-out: ends the session of the access token passed as the call's `bearer` (user scope). */
  signOut: { method: 'DELETE', path: '/v1/sessions/current', responses: { 204: emptyAnswer } },
  /** The account of the access token passed as the call's `bearer` (user scope). */
  ownAccount: { method: 'GET', path: '/v1/accounts/me', responses: { 200: authOwnAccount } },
  /** The `bearer`'s own security events, newest first (`before` pages back), as agents see them. */
  ownSecurityEvents: {
    method: 'GET',
    path: '/v1/accounts/me/security-events',
    query: securityEventsQuery,
    responses: { 200: securityEventsPage },
  },
  /** The `bearer`'s active sessions, most recently used first. */
  listSessions: {
    method: 'GET',
    path: '/v1/sessions',
    responses: { 200: z.object({ items: z.array(authUserSession) }) },
  },
  /** Ends one of the `bearer`'s sessions: 404 AUTH_SESSION_NOT_FOUND when it is not theirs or already ended. */
  endSession: { method: 'DELETE', path: '/v1/sessions/:id', responses: { 204: emptyAnswer } },
  /**
   * "My account was stolen" (`bearer`): freezes the account at once, every session (this one too)
   * ends, sign-in stops until an agent unfreezes it; support-cases opens the theft case from the event.
   */
  freezeOwnAccount: {
    method: 'POST',
    path: '/v1/accounts/me/freeze',
    body: z.object({ reason: z.string().optional(), context: clientContext }),
    responses: { 204: emptyAnswer },
  },
  /** Two-step verification's state for the `bearer`'s account. */
  twoFactorStatus: { method: 'GET', path: '/v1/accounts/me/totp', responses: { 200: authTwoFactorStatus } },
  /**
   * Starts enrolment (`bearer`): needs `password`, or a sign-in within auth's recent window, else
   * 401 AUTH_REAUTHENTICATION_REQUIRED; a wrong password is AUTH_INVALID_CREDENTIALS (counts
   * towards the lockout); 409 AUTH_TOTP_ALREADY_ENABLED.
   */
  startTwoFactor: {
    method: 'POST',
    path: '/v1/accounts/me/totp',
    body: z.object({ password: z.string().optional(), context: clientContext }),
    responses: { 201: authTwoFactorEnrolment },
  },
  /** Confirms enrolment with a code from the app (`bearer`): 422 AUTH_TOTP_CODE_REJECTED, 409 AUTH_TOTP_NOT_PENDING. */
  confirmTwoFactor: {
    method: 'POST',
    path: '/v1/accounts/me/totp/confirm',
    body: z.object({ code: z.string(), context: clientContext }),
    responses: { 200: authRecoveryCodes },
  },
  /**
   * A new set of recovery codes (`bearer`), the old set dead: a code or a recovery code (exactly
   * one), and `password` or a recent sign-in (else 401 AUTH_REAUTHENTICATION_REQUIRED).
   */
  regenerateRecoveryCodes: {
    method: 'POST',
    path: '/v1/accounts/me/recovery-codes',
    body: z.object({
      password: z.string().optional(),
      code: z.string().optional(),
      recoveryCode: z.string().optional(),
      context: clientContext,
    }),
    responses: { 200: authRecoveryCodes },
  },
  /**
   * Changes the password (`bearer`): the current one, and a code or recovery code when two-step
   * verification is on; every other session of the account ends, this one stays. 401
   * AUTH_INVALID_CREDENTIALS, AUTH_SECOND_FACTOR_INVALID; 422 AUTH_PASSWORD_POLICY (`details.reasons`).
   */
  changePassword: {
    method: 'POST',
    path: '/v1/accounts/me/password',
    body: z.object({
      currentPassword: z.string(),
      newPassword: z.string(),
      totpCode: z.string().optional(),
      recoveryCode: z.string().optional(),
      context: clientContext,
    }),
    responses: { 204: emptyAnswer },
  },
  /** Turns two-step verification off (`bearer`): the password and a code or a recovery code (exactly one). */
  disableTwoFactor: {
    method: 'DELETE',
    path: '/v1/accounts/me/totp',
    body: z.object({
      password: z.string(),
      code: z.string().optional(),
      recoveryCode: z.string().optional(),
      context: clientContext,
    }),
    responses: { 204: emptyAnswer },
  },
} as const satisfies Record<string, ApiEndpoint>;
