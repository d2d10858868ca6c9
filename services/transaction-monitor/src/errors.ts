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
  listEntryNotFound: (id: string) => new AppError(404, 'TXM_LIST_ENTRY_NOT_FOUND', `No list entry ${id}`),
  /** A live entry of the same kind and value exists: change that one (`entryId`) instead. */
  listEntryExists: (entryId: string) =>
    new AppError(409, 'TXM_LIST_ENTRY_EXISTS', 'An entry with this kind and value is already on the lists', [
      { in: 'body', path: '/value', message: 'already listed', entryId },
    ]),
  listEntryRemoved: (id: string) =>
    new AppError(409, 'TXM_LIST_ENTRY_REMOVED', `List entry ${id} was removed; add a new one instead`),
  /** `reason`: cidr (not an IP address or prefix, or host bits set), country, counterparty (`kind:id`) or device. */
  invalidListValue: (reason: string) =>
    new AppError(400, 'TXM_LIST_INVALID_VALUE', `value is not a valid ${reason}`, [
      { in: 'body', path: '/value', message: `must be a valid ${reason}`, reason },
    ]),
  listExpiryInPast: () =>
    new AppError(400, 'TXM_LIST_EXPIRY_IN_PAST', 'expiresAt must be in the future', [
      { in: 'body', path: '/expiresAt', message: 'must be in the future' },
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
