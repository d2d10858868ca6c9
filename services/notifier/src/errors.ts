import { AppError } from '@wallet-guard/http';

/**
 * Every error the notifier answers with, by stable code. The service kit adds the generic ones
 * (`NOTIFIER_VALIDATION_FAILED`, `NOTIFIER_UNAUTHENTICATED`, `NOTIFIER_FORBIDDEN`, ...).
 */
export const notifierErrors = {
  invalidCursor: () =>
    new AppError(400, 'NOTIFIER_INVALID_CURSOR', 'cursor is not one this service issued', [
      { in: 'querystring', path: '/cursor', message: 'must be a nextCursor this service issued' },
    ]),
};
