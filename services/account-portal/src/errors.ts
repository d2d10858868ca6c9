import { AppError } from '@wallet-guard/http';

/**
 * Every error the portal answers with, by stable code. The service kit adds the generic ones
 * (`PORTAL_VALIDATION_FAILED`, `PORTAL_NOT_FOUND`, ...). Pages show these in the customer's
 * language (`pages-plugin.ts`); the code is what logs and tests see.
 */
export const portalErrors = {
  /** A form post without this session's CSRF token: forged, or the session cookie is gone. */
  csrfRejected: () =>
    new AppError(403, 'PORTAL_CSRF_REJECTED', 'The form is not from this session; reload the page and try again'),
  /** The portal's own per-IP limit on form posts (auth has its own behind it). */
  rateLimited: (retryAfterSeconds: number) =>
    new AppError(429, 'PORTAL_RATE_LIMITED', 'Too many requests from this address; try again later', undefined, {
      'Retry-After': String(retryAfterSeconds),
    }),
  /** Auth did not answer (down, slow or failing): a script's call can be tried again later. */
  authUnavailable: () =>
    new AppError(503, 'PORTAL_UPSTREAM_UNAVAILABLE', 'The account service is not answering; try again shortly'),
  // The passkey script's options calls: `message` is in the customer's language, the script shows it.
  /** Nobody is signed in (or auth ended the session) where the ceremony needs a signed-in account. */
  signedOut: (message: string) => new AppError(401, 'PORTAL_SIGNED_OUT', message),
  /** Adding a passkey needs the password: the sign-in is not recent enough for auth. */
  reauthenticationRequired: (message: string) => new AppError(401, 'PORTAL_REAUTHENTICATION_REQUIRED', message),
  /** The password sent to start a ceremony is wrong (auth counts it toward the lockout). */
  invalidCredentials: (message: string) => new AppError(401, 'PORTAL_INVALID_CREDENTIALS', message),
  /** The account has no passkey to use here: the page keeps offering its code fields only. */
  passkeyNotFound: (message: string) => new AppError(404, 'PORTAL_PASSKEY_NOT_FOUND', message),
  /** What the ceremony is for is over: the e-mail link or the sign-in's second step expired, the payment is no longer pending. */
  ceremonyGone: (message: string) => new AppError(410, 'PORTAL_CEREMONY_GONE', message),
};
