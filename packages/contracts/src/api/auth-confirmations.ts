import { createHash } from 'node:crypto';
import { z } from 'zod';
import { clientContext, isoDateTime } from '../envelope';
import { CONFIRMATION_TOKEN_MAX_LENGTH, counterparty, counterpartyKind } from '../events/wallet-transactions';
import { amountMinor, currencyCode } from '../money';
import { authAcr, authPasskeyProof, authWebAuthnCeremony } from './auth-public';
import { type ApiEndpoint, emptyAnswer } from './endpoint';

/**
 * Payment confirmation bound to the transaction ("dynamic linking", PSD2 RTS on strong customer
 * authentication, Commission Delegated Regulation (EU) 2018/389, article 5): the wallet asks auth
 * for a confirmation of one payment (amount, currency, payee, its transaction id), the signed-in
 * user approves it on the account portal with a passkey or an authenticator code, and gets a
 * short-lived signed token whose claims bind exactly those details. Changing any of them makes
 * the token worthless; it is redeemed once.
 *
 * Money follows the workspace's convention: `amountMinor` is an integer of minor units (ISO 4217)
 * in a decimal string, in the bodies and in the token's `amt` claim alike, so a 64-bit amount is
 * compared exactly everywhere (a JSON number loses precision above 2^53).
 *
 * Stable error codes (every error body is `{ error: { code, message, details? } }`):
 * - 400 AUTH_VALIDATION_FAILED: a body or path that does not match these schemas.
 * - 401 AUTH_INVALID_ACCESS_TOKEN: no valid bearer access token (user routes).
 * - 404 AUTH_CONFIRMATION_NOT_FOUND: no such confirmation for the bearer's account (another
 *   account's confirmation answers exactly like an unknown one).
 * - 409 AUTH_CONFIRMATION_EXISTS: create, while a confirmation of the same transaction is pending,
 *   approved or redeemed (`details: { confirmationId, status }`); a refused or expired one does not block.
 * - 409 AUTH_SECOND_FACTOR_REQUIRED: create, for an account with neither a passkey nor an
 *   authenticator app (nothing to confirm with).
 * - 409 AUTH_CONFIRMATION_NOT_PENDING: approve, refuse or passkey-options on a confirmation already
 *   approved, refused or redeemed (`details: { status }`).
 * - 410 AUTH_CONFIRMATION_EXPIRED: approve, refuse or passkey-options after `expiresAt`.
 * - 409 AUTH_CONFIRMATION_NOT_APPROVED: token collection while the user has not decided yet.
 * - 401 AUTH_SECOND_FACTOR_INVALID: approve with a wrong, used or missing authenticator code, or
 *   while the account's step-up counter is locked (one answer for all, counted toward the lockout).
 * - 401 AUTH_PASSKEY_REJECTED, 400 AUTH_PASSKEY_CHALLENGE_INVALID: approve with a passkey assertion
 *   that does not verify, or whose ceremony is unknown, used, expired or of another confirmation.
 * - 401 AUTH_CONFIRMATION_INVALID: redeem with a token that is not ours, malformed, expired, or
 *   whose confirmation is no longer approved.
 * - 422 AUTH_CONFIRMATION_MISMATCH: redeem with any bound detail (transaction id, amount,
 *   currency, payee kind or id) different from what the user confirmed (`details: { fields }`).
 * - 409 AUTH_CONFIRMATION_USED: redeem of a token already redeemed.
 */

/** `aud` of every confirmation token: no access token or other JWT of auth carries it. */
export const CONFIRMATION_TOKEN_AUDIENCE = 'wallet-guard:payment-confirmation';

/** JOSE `typ` header of a confirmation token (RFC 8725 section 3.11: explicit typing). */
export const CONFIRMATION_TOKEN_TYPE = 'confirmation+jwt';

/**
 * The payee as a confirmation token binds it: base64url (no padding) of SHA-256 of
 * `${kind}:${id}` (UTF-8), the same `kind:id` that names a counterparty in the monitor. The name
 * is shown to the user but not bound: the wallet's own id is what the money follows. Pure, never
 * throws.
 */
export function payeeHash(payee: { kind: string; id: string }): string {
  return createHash('sha256').update(`${payee.kind}:${payee.id}`, 'utf8').digest('base64url');
}

/** Where the money goes, as the user sees it on the confirmation page. */
export const confirmationPayee = z.object({
  /** The wallet's id of the payee: IBAN, wallet id, card token, merchant id, address (bound). */
  id: counterparty.shape.id,
  /** What kind of payee it is (bound). */
  kind: counterpartyKind,
  /** The payee's name as the wallet shows it (shown, not bound); 140 characters as in ISO 20022 `Nm`. */
  name: z.string().trim().min(1).max(140),
});
export type ConfirmationPayee = z.infer<typeof confirmationPayee>;

/** The wallet's id of the transaction being confirmed: the same id it later submits to the monitor. */
const transactionId = z.string().min(1).max(128);

export const CONFIRMATION_STATUSES = ['pending', 'approved', 'refused', 'expired', 'redeemed'] as const;
/** pending -> approved | refused | expired; approved -> redeemed. Nothing else changes a status. */
export const confirmationStatus = z.enum(CONFIRMATION_STATUSES);
export type ConfirmationStatus = z.infer<typeof confirmationStatus>;

/** How the user may approve: a passkey (first choice, phishing-resistant) or an authenticator code. */
export const CONFIRMATION_METHODS = ['passkey', 'totp'] as const;
export const confirmationMethod = z.enum(CONFIRMATION_METHODS);
export type ConfirmationMethod = z.infer<typeof confirmationMethod>;

/** `POST /v1/confirmations`: the payment to confirm, as the wallet is about to make it. */
export const createConfirmationBody = z.object({
  transactionId,
  /** Integer minor units (ISO 4217) in a decimal string. */
  amountMinor,
  currency: currencyCode,
  payee: confirmationPayee,
  /** BCP 47: the language the portal shows the confirmation in; the account's own when absent. */
  locale: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
    .max(35)
    .optional(),
  context: clientContext.optional(),
});
export type CreateConfirmationBody = z.infer<typeof createConfirmationBody>;

export const confirmationCreated = z.object({
  confirmationId: z.uuid(),
  status: z.literal('pending'),
  /** ISO 8601; AUTH_CONFIRMATION_TTL_SECONDS (300) after creation. */
  expiresAt: isoDateTime,
  /** The account portal's page for it: `/confirmations/<confirmationId>` (no secret in it). */
  portalPath: z.string(),
});
export type ConfirmationCreated = z.infer<typeof confirmationCreated>;

/** A confirmation as its owner sees it (`GET /v1/confirmations/:id`). */
export const confirmationView = z.object({
  confirmationId: z.uuid(),
  transactionId,
  amountMinor,
  currency: currencyCode,
  payee: confirmationPayee,
  /** BCP 47: the locale the wallet asked for, else the account's. */
  locale: z.string(),
  status: confirmationStatus,
  createdAt: isoDateTime,
  expiresAt: isoDateTime,
  /** Ways the account can approve now, passkey first; empty once it is no longer pending. */
  methods: z.array(confirmationMethod),
});
export type ConfirmationView = z.infer<typeof confirmationView>;

/**
 * `POST /v1/confirmations/:id/passkey-options`: a WebAuthn authentication ceremony whose challenge
 * is SHA-256(canonical JSON of { confirmationId, transactionId, amountMinor, currency, payeeHash }
 * || a 16-byte random nonce): the assertion signs these very details. Pass `options` to
 * `@simplewebauthn/browser`'s `startAuthentication()` and send its answer to `approve` with `ceremonyId`.
 */
export const confirmationPasskeyOptions = authWebAuthnCeremony;
export type ConfirmationPasskeyOptions = z.infer<typeof confirmationPasskeyOptions>;

/** `POST /v1/confirmations/:id/approve`: exactly one of `passkey` or `totpCode`. */
export const approveConfirmationBody = z
  .object({
    /** A passkey's assertion for the ceremony from `passkey-options`. */
    passkey: authPasskeyProof.optional(),
    /** A 6-digit authenticator code (RFC 6238); recovery codes do not confirm payments. */
    totpCode: z
      .string()
      .regex(/^\d{6}$/, { message: 'must be 6 digits' })
      .optional(),
    context: clientContext.optional(),
  })
  .refine((body) => (body.passkey === undefined) !== (body.totpCode === undefined), {
    message: 'give either passkey or totpCode',
    path: ['totpCode'],
  });
export type ApproveConfirmationBody = z.infer<typeof approveConfirmationBody>;

/** The approval: a token the wallet passes to `redeem` (and to the monitor as `confirmationToken`). */
export const confirmationApproved = z.object({
  /** EdDSA JWT, `typ` confirmation+jwt, verifiable with auth's `/.well-known/jwks.json` (see `ConfirmationClaims`). */
  confirmationToken: z.string(),
  /** Seconds until the token expires (AUTH_CONFIRMATION_TOKEN_TTL_SECONDS, 120). */
  expiresIn: z.number().int().positive(),
});
export type ConfirmationApproved = z.infer<typeof confirmationApproved>;

/** `POST /v1/confirmations/:id/refuse`. */
export const refuseConfirmationBody = z.object({ context: clientContext.optional() });

/** `POST /v1/confirmations/redeem`: the token and the details of the payment the wallet is making. */
export const redeemConfirmationBody = z.object({
  confirmationToken: z.string().min(1).max(CONFIRMATION_TOKEN_MAX_LENGTH),
  transactionId,
  amountMinor,
  currency: currencyCode,
  payee: confirmationPayee.pick({ id: true, kind: true }),
});
export type RedeemConfirmationBody = z.infer<typeof redeemConfirmationBody>;

export const confirmationRedeemed = z.object({
  /** The account that approved: the wallet checks it is the payer. */
  accountId: z.uuid(),
  confirmationId: z.uuid(),
  /** RFC 8176 methods of the approval: `hwk`/`swk` and `user` for a passkey, `otp` for a code. */
  amr: z.array(z.string()),
  acr: authAcr,
});
export type ConfirmationRedeemed = z.infer<typeof confirmationRedeemed>;

/**
 * The claims of a confirmation token (JWT, EdDSA, header `typ` confirmation+jwt, `kid` of auth's
 * signing key): `iss` auth's issuer, `aud` CONFIRMATION_TOKEN_AUDIENCE, `sub` the account, `jti`
 * the confirmation id, `txn` the transaction id, `amt` the amount in minor units (decimal
 * string), `cur` the ISO 4217 code, `payee_hash` = `payeeHash(payee)`, `amr`, `acr`, `iat`, `exp`
 * (seconds since the epoch). A verifier checks signature, `typ`, `aud` and `exp`, then compares
 * every bound claim with the transaction in hand.
 */
export const confirmationClaims = z.object({
  iss: z.string(),
  aud: z.literal(CONFIRMATION_TOKEN_AUDIENCE),
  sub: z.uuid(),
  jti: z.uuid(),
  txn: transactionId,
  amt: amountMinor,
  cur: currencyCode,
  payee_hash: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  amr: z.array(z.string()),
  acr: authAcr,
  iat: z.number().int(),
  exp: z.number().int(),
});
export type ConfirmationClaims = z.infer<typeof confirmationClaims>;

/**
 * Payment confirmation routes of the auth public API, as `createServiceClient` calls them.
 * `create` takes the wallet's key (scope `wallet`) and the signed-in user's access token as
 * `bearer`; `get`, `passkeyOptions`, `approve` and `refuse` the bearer of the confirmation's own
 * account (the portal passes it); `redeem` the wallet's key alone. Error codes: see the top of this file.
 */
export const authConfirmationsApi = {
  /** Opens a pending confirmation of one payment for the bearer's account: 201, 409 AUTH_CONFIRMATION_EXISTS, 409 AUTH_SECOND_FACTOR_REQUIRED. */
  createConfirmation: {
    method: 'POST',
    path: '/v1/confirmations',
    body: createConfirmationBody,
    responses: { 201: confirmationCreated },
  },
  /** The confirmation's details for its page: 404 AUTH_CONFIRMATION_NOT_FOUND when not the bearer's. */
  getConfirmation: { method: 'GET', path: '/v1/confirmations/:id', responses: { 200: confirmationView } },
  /** A passkey ceremony bound to the confirmation's details: 404, 409 AUTH_CONFIRMATION_NOT_PENDING, 410 AUTH_CONFIRMATION_EXPIRED, 404 AUTH_PASSKEY_NOT_FOUND (no passkey). */
  confirmationPasskeyOptions: {
    method: 'POST',
    path: '/v1/confirmations/:id/passkey-options',
    responses: { 200: confirmationPasskeyOptions },
  },
  /** Approves with a passkey assertion or an authenticator code: the confirmation token. */
  approveConfirmation: {
    method: 'POST',
    path: '/v1/confirmations/:id/approve',
    body: approveConfirmationBody,
    responses: { 200: confirmationApproved },
  },
  /** The user says no: 204; repeated refusals count toward the step-up lockout. */
  refuseConfirmation: {
    method: 'POST',
    path: '/v1/confirmations/:id/refuse',
    body: refuseConfirmationBody,
    responses: { 204: emptyAnswer },
  },
  /**
   * The wallet collects the token of an approval given on the portal (its key and the user's
   * `bearer`): a freshly signed token, up to AUTH_CONFIRMATION_TTL_SECONDS after the approval. 404
   * AUTH_CONFIRMATION_NOT_FOUND, 409 AUTH_CONFIRMATION_NOT_APPROVED / AUTH_CONFIRMATION_NOT_PENDING /
   * AUTH_CONFIRMATION_USED, 410 AUTH_CONFIRMATION_EXPIRED.
   */
  collectConfirmationToken: {
    method: 'POST',
    path: '/v1/confirmations/:id/token',
    responses: { 200: confirmationApproved },
  },
  /** The wallet spends the token on the payment (once): 401 AUTH_CONFIRMATION_INVALID, 422 AUTH_CONFIRMATION_MISMATCH, 409 AUTH_CONFIRMATION_USED. */
  redeemConfirmation: {
    method: 'POST',
    path: '/v1/confirmations/redeem',
    body: redeemConfirmationBody,
    responses: { 200: confirmationRedeemed },
  },
} as const satisfies Record<string, ApiEndpoint>;
