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
  /**
   * Present only on a restricted session: `password_change` (the password is on the leaked-password
   * list) means every user route but password change, sign-out and `GET /v1/accounts/me` answers
   * 403 AUTH_PASSWORD_CHANGE_REQUIRED until the password is changed.
   */
  restriction: z.literal('password_change').optional(),
});
export type AuthTokenPair = z.infer<typeof authTokenPair>;

/**
 * A second sign-in step: a code from the authenticator app, a recovery code, a passkey, or
 * `email_code` (a risky sign-in of an account without any factor: a 6-digit code was e-mailed).
 */
export const authSecondFactorMethod = z.enum(['totp', 'recovery', 'passkey', 'email_code']);
export type AuthSecondFactorMethod = z.infer<typeof authSecondFactorMethod>;

/**
 * A right password on an account with two-factor on (an authenticator app or a passkey): the
 * second step takes this token (5 minutes, 5 tries) with one of `methods`, the ones the account has
 * (`email_code` alone: the token then lives as long as the e-mailed code, AUTH_EMAIL_CODE_TTL_SECONDS).
 */
export const authMfaRequired = z.object({
  mfaRequired: z.literal(true),
  mfaToken: z.string(),
  methods: z.array(authSecondFactorMethod).min(1),
});

/**
 * Options for `navigator.credentials.get()` / `.create()` as `@simplewebauthn/server` builds them
 * (`PublicKeyCredentialRequestOptionsJSON` / `PublicKeyCredentialCreationOptionsJSON`, W3C
 * WebAuthn Level 3 §5.5 and §5.4): binary fields are base64url. Passed to
 * `@simplewebauthn/browser` untouched, so the contract does not restate their fields.
 */
export const authWebAuthnOptions = z.record(z.string(), z.unknown());

/**
 * What `@simplewebauthn/browser`'s `startAuthentication()` / `startRegistration()` answer
 * (`AuthenticationResponseJSON` / `RegistrationResponseJSON`, W3C WebAuthn Level 3 §5.1,
 * `PublicKeyCredential.toJSON()`): binary fields are base64url. Auth checks the rest of the shape.
 */
export const authWebAuthnResponse = z.looseObject({
  id: z.string(),
  rawId: z.string(),
  type: z.literal('public-key'),
  response: z.looseObject({ clientDataJSON: z.string() }),
  clientExtensionResults: z.record(z.string(), z.unknown()),
  authenticatorAttachment: z.string().optional(),
});

/** A started ceremony: pass `options` to the browser, send its answer back with `ceremonyId`. */
export const authWebAuthnCeremony = z.object({
  /** Single use; expires after AUTH_WEBAUTHN_CHALLENGE_TTL_SECONDS (default 300). */
  ceremonyId: z.uuid(),
  options: authWebAuthnOptions,
});
export type AuthWebAuthnCeremony = z.infer<typeof authWebAuthnCeremony>;

/** A passkey's answer to a ceremony auth started (`ceremonyId` from the options route). */
export const authPasskeyProof = z.object({ ceremonyId: z.uuid(), response: authWebAuthnResponse });
export type AuthPasskeyProof = z.infer<typeof authPasskeyProof>;

/**
 * One of the signed-in user's passkeys. `deviceType` `multiDevice` = synced (backup eligible,
 * W3C WebAuthn Level 3 §6.1.3 flag BE); `backedUp` = flag BS at the last use.
 */
export const authPasskeyView = z.object({
  id: z.uuid(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  deviceType: z.enum(['singleDevice', 'multiDevice']),
  backupEligible: z.boolean(),
  backedUp: z.boolean(),
  /** Hints the browser gave at registration (`internal`, `hybrid`, `usb`, `nfc`, `ble`...). */
  transports: z.array(z.string()),
  /** The authenticator model's AAGUID (all zeros when the authenticator does not say). */
  aaguid: z.string(),
});
export type AuthPasskeyView = z.infer<typeof authPasskeyView>;

/** What a step-up asks of the passkey: names the action so a ceremony serves that one only. */
export const authPasskeyStepUpPurpose = z.enum([
  'unlock',
  'password_reset',
  'password_change',
  'disable',
  'regenerate',
  'remove_passkey',
]);
export type AuthPasskeyStepUpPurpose = z.infer<typeof authPasskeyStepUpPurpose>;

/**
 * The second factor unlock and reset take when two-factor is on: a 6-digit code, a recovery code
 * or a passkey (options from `passkeyStepUpOptions`), exactly one.
 */
const stepUp = {
  totpCode: z.string().optional(),
  recoveryCode: z.string().optional(),
  passkey: authPasskeyProof.optional(),
};

/**
 * The assurance a session reached (OIDC `acr`), by NIST SP 800-63B-4 level: `aal1` a password
 * alone; `aal2` a password with a second factor; `aal2:phishing-resistant` a passkey (user
 * verification required, origin-bound: W3C WebAuthn Level 3, SP 800-63B-4 §3.2.5).
 */
export const authAcr = z.enum([
  'urn:wallet-guard:acr:aal1',
  'urn:wallet-guard:acr:aal2',
  'urn:wallet-guard:acr:aal2:phishing-resistant',
]);
export type AuthAcr = z.infer<typeof authAcr>;

export const authIntrospection = z.union([
  z.object({
    active: z.literal(true),
    /** The account id. */
    sub: z.uuid(),
    /** The session id. */
    sid: z.uuid(),
    /** Authentication methods (RFC 8176): pwd, otp, recovery, hwk or swk with user. */
    amr: z.array(z.string()),
    /** NIST SP 800-63B-4 authenticator assurance level reached: 1 or 2. */
    aal: z.number().int(),
    /**
     * The assurance reached, for a wallet that demands more for sensitive actions:
     * `urn:wallet-guard:acr:aal1`, `urn:wallet-guard:acr:aal2`, or
     * `urn:wallet-guard:acr:aal2:phishing-resistant` (a passkey was used).
     */
    acr: authAcr,
    /** Expiry, seconds since the epoch. */
    exp: z.number().int(),
    /** Present while the session is restricted (the session's state now, not the token's claim). */
    rst: z.literal('password_change').optional(),
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
 * Passkeys: 401 AUTH_PASSKEY_REJECTED (unknown credential, bad signature, wrong origin or RP id,
 * a signature counter that went backwards, locked or frozen account: one answer), 400
 * AUTH_PASSKEY_CHALLENGE_INVALID (unknown, used or expired ceremony, or one started for another
 * purpose), 409 AUTH_PASSKEY_ALREADY_REGISTERED, 404 AUTH_PASSKEY_NOT_FOUND.
 */
export const authPublicApi = {
  /** Password sign-in: tokens, or `{ mfaRequired, mfaToken, methods }` when two-factor (TOTP or a passkey) is on. */
  signIn: {
    method: 'POST',
    path: '/v1/sessions',
    body: z.object({ email: z.string(), password: z.string(), context: clientContext }),
    responses: { 200: z.union([authTokenPair, authMfaRequired]) },
  },
  /**
   * The second sign-in step: the mfaToken with a code, a recovery code or a passkey (exactly one;
   * passkey options from `signInPasskeyOptions`). A refused passkey is 401 AUTH_PASSKEY_REJECTED
   * and uses one of the mfaToken's 5 tries.
   */
  signInSecondFactor: {
    method: 'POST',
    path: '/v1/sessions/mfa',
    body: z.object({
      mfaToken: z.string(),
      code: z.string().optional(),
      recoveryCode: z.string().optional(),
      passkey: authPasskeyProof.optional(),
      /** The 6 digits of the e-mailed code (`methods` was ['email_code']). */
      emailCode: z.string().optional(),
      context: clientContext,
    }),
    responses: { 200: authTokenPair },
  },
  /**
   * Passkey options for the second step (`allowCredentials` = the account's passkeys); the
   * mfaToken is not used up. 401 AUTH_INVALID_TOKEN; 404 AUTH_PASSKEY_NOT_FOUND when the account has none.
   */
  signInPasskeyOptions: {
    method: 'POST',
    path: '/v1/sessions/mfa/passkey-options',
    body: z.object({ mfaToken: z.string() }),
    responses: { 200: authWebAuthnCeremony },
  },
  /**
   * Options for a usernameless passkey sign-in (discoverable credential, user verification
   * required, no `allowCredentials`): the browser lets the user pick the passkey.
   */
  passkeyAuthenticationOptions: {
    method: 'POST',
    path: '/v1/passkeys/authentication-options',
    body: z.object({ context: clientContext }),
    responses: { 200: authWebAuthnCeremony },
  },
  /**
   * Usernameless sign-in with a passkey: a session with amr [hwk|swk, user] and acr
   * `urn:wallet-guard:acr:aal2:phishing-resistant`. 401 AUTH_PASSKEY_REJECTED (also locked or
   * frozen accounts), 400 AUTH_PASSKEY_CHALLENGE_INVALID.
   */
  signInWithPasskey: {
    method: 'POST',
    path: '/v1/sessions/passkey',
    body: z.object({ ceremonyId: z.uuid(), response: authWebAuthnResponse, context: clientContext }),
    responses: { 200: authTokenPair },
  },
  /**
   * Passkey options for a step-up: with the `bearer` (signed in: password change, disable,
   * regenerate, remove_passkey) or with an e-mail link's `token` (unlock, password_reset; the token
   * is not used up). The answer goes in the step-up route's `passkey` field. 401 AUTH_INVALID_TOKEN
   * or a missing bearer; 404 AUTH_PASSKEY_NOT_FOUND when the account has no passkey.
   */
  passkeyStepUpOptions: {
    method: 'POST',
    path: '/v1/passkeys/step-up-options',
    body: z.object({ purpose: authPasskeyStepUpPurpose, token: z.string().optional() }),
    responses: { 200: authWebAuthnCeremony },
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
   * one; a `passkey` from `passkeyStepUpOptions` with purpose `regenerate` also does), and
   * `password` or a recent sign-in (else 401 AUTH_REAUTHENTICATION_REQUIRED).
   */
  regenerateRecoveryCodes: {
    method: 'POST',
    path: '/v1/accounts/me/recovery-codes',
    body: z.object({
      password: z.string().optional(),
      code: z.string().optional(),
      recoveryCode: z.string().optional(),
      passkey: authPasskeyProof.optional(),
      context: clientContext,
    }),
    responses: { 200: authRecoveryCodes },
  },
  /**
   * Changes the password (`bearer`): the current one, and a code, recovery code or passkey
   * (purpose `password_change`) when two-step verification is on; every other session of the account ends, this one stays. 401
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
      passkey: authPasskeyProof.optional(),
      context: clientContext,
    }),
    responses: { 204: emptyAnswer },
  },
  /**
   * Turns the authenticator app off (`bearer`): the password and a code, a recovery code or a
   * passkey (purpose `disable`), exactly one.
   */
  disableTwoFactor: {
    method: 'DELETE',
    path: '/v1/accounts/me/totp',
    body: z.object({
      password: z.string(),
      code: z.string().optional(),
      recoveryCode: z.string().optional(),
      passkey: authPasskeyProof.optional(),
      context: clientContext,
    }),
    responses: { 204: emptyAnswer },
  },
  /** The `bearer`'s passkeys, newest first. */
  listPasskeys: {
    method: 'GET',
    path: '/v1/accounts/me/passkeys',
    responses: { 200: z.object({ items: z.array(authPasskeyView) }) },
  },
  /**
   * Starts registering a passkey (`bearer`): needs `password`, or a sign-in within auth's recent
   * window, else 401 AUTH_REAUTHENTICATION_REQUIRED; a wrong password is AUTH_INVALID_CREDENTIALS
   * (counts towards the lockout). The options exclude the account's passkeys, ask for a
   * discoverable credential with user verification, attestation `none`.
   */
  startPasskeyRegistration: {
    method: 'POST',
    path: '/v1/accounts/me/passkeys/registration-options',
    body: z.object({ password: z.string().optional(), context: clientContext }),
    responses: { 201: authWebAuthnCeremony },
  },
  /**
   * Finishes registering (`bearer`) with the browser's answer; `name` defaults to one derived
   * from the device type. 400 AUTH_PASSKEY_CHALLENGE_INVALID, 401 AUTH_PASSKEY_REJECTED (the
   * answer does not verify), 409 AUTH_PASSKEY_ALREADY_REGISTERED. A "was this you?" e-mail follows.
   */
  registerPasskey: {
    method: 'POST',
    path: '/v1/accounts/me/passkeys',
    body: z.object({
      ceremonyId: z.uuid(),
      response: authWebAuthnResponse,
      name: z.string().optional(),
      context: clientContext,
    }),
    responses: { 201: authPasskeyView },
  },
  /** Renames one of the `bearer`'s passkeys: 404 AUTH_PASSKEY_NOT_FOUND when it is not theirs. */
  renamePasskey: {
    method: 'PATCH',
    path: '/v1/accounts/me/passkeys/:id',
    body: z.object({ name: z.string() }),
    responses: { 200: authPasskeyView },
  },
  /**
   * Removes one of the `bearer`'s passkeys (404 AUTH_PASSKEY_NOT_FOUND when not theirs). The last
   * strong factor (no authenticator app and no other passkey) needs a fresh proof: `password`, a
   * `passkey` answer (`passkeyStepUpOptions` with purpose `remove_passkey`) or a recent sign-in,
   * else 401 AUTH_REAUTHENTICATION_REQUIRED. A "was this you?" e-mail follows.
   */
  removePasskey: {
    method: 'DELETE',
    path: '/v1/accounts/me/passkeys/:id',
    body: z.object({ password: z.string().optional(), passkey: authPasskeyProof.optional(), context: clientContext }),
    responses: { 204: emptyAnswer },
  },
} as const satisfies Record<string, ApiEndpoint>;
