/**
 * An error a client caused or may act on. Its `code` is stable (clients branch on it); its
 * `message` is for humans; `details` never carries secrets or stack traces.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After on 429 and 503. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** The error body for a code, as every service sends it. */
export const errorPayload = (code: string, message: string, details?: unknown) => ({
  error: details === undefined ? { code, message } : { code, message, details },
});
