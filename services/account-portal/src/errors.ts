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
};
