import { AppError } from '@wallet-guard/http';

/**
 * Every error support-cases answers with, by stable code (the service kit adds schema errors,
 * `CASE_VALIDATION_FAILED`, and the 5xx that hide internals). Details name what the caller can act
 * on: who holds a case, which roles may make a move, which service did not answer.
 */
export const caseErrors = {
  caseNotFound: () => new AppError(404, 'CASE_NOT_FOUND', 'No case with this id'),
  /** The case is resolved or closed: `reopen` says whether reopening it is the way on. */
  caseClosed: (status: string, reopen = true) =>
    new AppError(
      409,
      'CASE_CLOSED',
      reopen ? `The case is ${status}; reopen it first` : `The case is already ${status}`,
    ),
  alreadyClaimed: (assignee: string) =>
    new AppError(409, 'CASE_ALREADY_CLAIMED', `The case is held by ${assignee}`, { assignee }),
  invalidTransition: (from: string, to: string) =>
    new AppError(409, 'CASE_INVALID_TRANSITION', `A ${from} case cannot become ${to}`, { from, to }),
  /** The move exists, but only `roles` may make it (an escalated case is the supervisors'). */
  transitionForbidden: (from: string, to: string, roles: readonly string[]) =>
    new AppError(403, 'CASE_FORBIDDEN', `Only a ${roles.join(' or ')} may move a ${from} case to ${to}`, {
      from,
      to,
      roles: [...roles],
    }),
  invalidCursor: () => new AppError(400, 'CASE_INVALID_CURSOR', 'The cursor is not one this service issued'),

  /** 401: no token, or one this service does not accept (`message` says why). */
  unauthenticated: (message: string) => new AppError(401, 'CASE_UNAUTHENTICATED', message),
  /** 403: a valid token without the role this needs (`message` says which). */
  forbidden: (message: string) => new AppError(403, 'CASE_FORBIDDEN', message),

  /** The other service does not know the account (or the flag) the action names. */
  accountNotFound: (message: string) => new AppError(404, 'CASE_ACCOUNT_NOT_FOUND', message),
  accountFrozen: () =>
    new AppError(409, 'CASE_ACCOUNT_FROZEN', 'The account is frozen; a supervisor must unfreeze it, not unlock it'),
  actionRejected: (service: string, code: string | undefined) =>
    new AppError(409, 'CASE_ACTION_REJECTED', `${service} refused the action${code ? ` (${code})` : ''}`, {
      service,
      code,
    }),
  flagNotFound: (flagId: string) =>
    new AppError(404, 'CASE_FLAG_NOT_FOUND', "No such flag on this case's account", { flagId }),
  transactionsNotOfAccount: (transactionIds: readonly string[]) =>
    new AppError(
      400,
      'CASE_TRANSACTION_NOT_OF_ACCOUNT',
      'Some transactions belong to another account; nothing was opened',
      {
        transactionIds: [...transactionIds],
      },
    ),
  /** Another service gave no usable answer: whether it acted is unknown; `details` say which and why. */
  upstreamUnavailable: (message: string, details: Record<string, unknown>) =>
    new AppError(503, 'CASE_UPSTREAM_UNAVAILABLE', message, details),

  consoleNotBuilt: () =>
    new AppError(
      503,
      'CASE_CONSOLE_NOT_BUILT',
      'The agent console is not built: run `pnpm --filter @wallet-guard/support-cases build:console` (npm start does it)',
    ),
};
