import { AppError } from '@wallet-guard/http';

/**
 * Every error the auth service answers with, by stable code. Messages never name a secret and
 * never say whether an account exists.
 */
export const authErrors = {
  invalidCredentials: () =>
    new AppError(401, 'AUTH_INVALID_CREDENTIALS', 'The email or password is not right, or this account cannot sign in'),
  emailTaken: () => new AppError(409, 'AUTH_EMAIL_TAKEN', 'An account with this email already exists'),
  passwordPolicy: (reasons: readonly unknown[]) =>
    new AppError(422, 'AUTH_PASSWORD_POLICY', 'The new password does not meet the password policy', { reasons }),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError(429, 'AUTH_RATE_LIMITED', 'Too many failed sign-ins from this address; try again later', undefined, {
      'Retry-After': String(retryAfterSeconds),
    }),
  busy: (retryAfterSeconds: number) =>
    new AppError(503, 'AUTH_BUSY', 'The service is busy; try again shortly', undefined, {
      'Retry-After': String(retryAfterSeconds),
    }),
  invalidToken: () => new AppError(401, 'AUTH_INVALID_TOKEN', 'The token is unknown, used, expired or revoked'),
  invalidAccessToken: () =>
    new AppError(
      401,
      'AUTH_INVALID_ACCESS_TOKEN',
      'A valid access token is required (Authorization: Bearer)',
      undefined,
      {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      },
    ),
  /** RFC 9470 (step-up): the token is valid, but the sign-in behind it is too old for this change. */
  reauthenticationRequired: () =>
    new AppError(
      401,
      'AUTH_REAUTHENTICATION_REQUIRED',
      'This change needs the current password, or a sign-in within the last few minutes',
      undefined,
      { 'WWW-Authenticate': 'Bearer error="insufficient_user_authentication"' },
    ),
  /**
   * A restricted session (its password is on the leaked-password list, issue 16) asked for anything
   * but password change, sign-out or its own account: 403, the token is valid but may not do this yet.
   */
  passwordChangeRequired: () =>
    new AppError(
      403,
      'AUTH_PASSWORD_CHANGE_REQUIRED',
      'This password appears in lists of leaked passwords: change it before doing anything else',
    ),
  secondFactorInvalid: () =>
    new AppError(401, 'AUTH_SECOND_FACTOR_INVALID', 'A valid second-factor code or recovery code is required'),
  totpAlreadyEnabled: () =>
    new AppError(
      409,
      'AUTH_TOTP_ALREADY_ENABLED',
      'Two-factor is already on; turn it off first to enrol another authenticator',
    ),
  totpNotEnabled: () => new AppError(409, 'AUTH_TOTP_NOT_ENABLED', 'Two-factor is not on for this account'),
  totpNotPending: () =>
    new AppError(
      409,
      'AUTH_TOTP_NOT_PENDING',
      'No enrolment is waiting for confirmation (none started, or it expired)',
    ),
  totpCodeRejected: () =>
    new AppError(422, 'AUTH_TOTP_CODE_REJECTED', 'The code does not match the authenticator being enrolled'),
  /**
   * One answer for every refused passkey (W3C WebAuthn L3 §7.2): unknown credential, bad
   * signature, wrong origin or RP id, no user verification, a counter that went backwards, or a
   * locked or frozen account, so the answer tells nothing about which.
   */
  passkeyRejected: () => new AppError(401, 'AUTH_PASSKEY_REJECTED', 'The passkey could not be verified'),
  /** The ceremony is unknown, used, expired, or was started for another purpose or account. */
  passkeyChallengeInvalid: () =>
    new AppError(
      400,
      'AUTH_PASSKEY_CHALLENGE_INVALID',
      'The passkey challenge is unknown, used or expired; ask for new options',
    ),
  passkeyAlreadyRegistered: () =>
    new AppError(409, 'AUTH_PASSKEY_ALREADY_REGISTERED', 'This passkey is already registered'),
  passkeyNotFound: () => new AppError(404, 'AUTH_PASSKEY_NOT_FOUND', 'No such passkey for this account'),
  sessionNotFound: () => new AppError(404, 'AUTH_SESSION_NOT_FOUND', 'No such session for this account'),
  accountNotFound: () => new AppError(404, 'AUTH_ACCOUNT_NOT_FOUND', 'No such account'),
  /** Unknown, or another account's: the answer is the same, so ids cannot be probed. */
  confirmationNotFound: () => new AppError(404, 'AUTH_CONFIRMATION_NOT_FOUND', 'No such payment confirmation'),
  confirmationExists: (confirmationId: string, status: string) =>
    new AppError(
      409,
      'AUTH_CONFIRMATION_EXISTS',
      'This transaction already has a payment confirmation that is pending, approved or used',
      { confirmationId, status },
    ),
  confirmationNotPending: (status: string) =>
    new AppError(409, 'AUTH_CONFIRMATION_NOT_PENDING', 'This payment confirmation was already decided', { status }),
  confirmationNotApproved: () =>
    new AppError(409, 'AUTH_CONFIRMATION_NOT_APPROVED', 'The user has not approved this payment confirmation yet'),
  confirmationExpired: () =>
    new AppError(410, 'AUTH_CONFIRMATION_EXPIRED', 'This payment confirmation expired; the wallet must ask again'),
  /** Strong customer authentication needs a second factor the account does not have. */
  secondFactorRequired: () =>
    new AppError(
      409,
      'AUTH_SECOND_FACTOR_REQUIRED',
      'The account has no passkey or authenticator app to confirm payments with',
    ),
  /** Bad signature, expired, not a confirmation token, or its confirmation is no longer approved. */
  confirmationInvalid: () => new AppError(401, 'AUTH_CONFIRMATION_INVALID', 'The confirmation token is not valid'),
  confirmationMismatch: (fields: readonly string[]) =>
    new AppError(422, 'AUTH_CONFIRMATION_MISMATCH', 'The payment differs from the one the user confirmed', {
      fields,
    }),
  confirmationUsed: () => new AppError(409, 'AUTH_CONFIRMATION_USED', 'The confirmation token was already redeemed'),
};
