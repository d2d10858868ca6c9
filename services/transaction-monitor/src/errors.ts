import { AppError } from '@wallet-guard/http';

/**
 * Every error the transaction monitor answers with, by stable code. The service kit adds the
 * generic ones (`TXM_VALIDATION_FAILED`, `TXM_UNAUTHENTICATED`, `TXM_FORBIDDEN`, ...).
 */
export const monitorErrors = {
  flagNotFound: (id: string) => new AppError(404, 'TXM_FLAG_NOT_FOUND', `No flag ${id}`),
  invalidCursor: () =>
    new AppError(400, 'TXM_INVALID_CURSOR', 'cursor is not one this service issued', [
      { in: 'querystring', path: '/cursor', message: 'must be a nextCursor this service issued' },
    ]),
  /** `before` of `GET /v1/accounts/:accountId/transactions` is not a `nextCursor` this service issued. */
  invalidBefore: () =>
    new AppError(400, 'TXM_INVALID_CURSOR', 'before is not a cursor this service issued', [
      { in: 'querystring', path: '/before', message: 'must be a nextCursor this service issued' },
    ]),
  /** Neither the broker nor the outbox took the batch; the cause is logged, never answered. */
  ingestUnavailable: () =>
    new AppError(503, 'TXM_INGEST_UNAVAILABLE', 'Transactions cannot be taken right now; retry', undefined, {
      'retry-after': '5',
    }),
};

/**
 * Why one item of `POST /v1/transactions` was refused: answered in the item's result (the batch
 * itself is accepted with 202), so these are codes, not thrown errors.
 */
export const itemRefusals = {
  invalidTransaction: (message: string) => ({ code: 'TXM_INVALID_TRANSACTION', message }),
  duplicateInBatch: () => ({
    code: 'TXM_DUPLICATE_IN_BATCH',
    message: 'this transactionId appears earlier in the batch',
  }),
};
