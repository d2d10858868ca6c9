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
  /** 404: the case is no network case (`mule_destination`), so it lists no accounts. */
  notNetworkCase: () => new AppError(404, 'CASE_NOT_NETWORK_CASE', 'This case lists no network accounts'),
  /** 404: accounts a network case does not list; nothing was done to any account. */
  accountsNotInCase: (accountIds: readonly string[]) =>
    new AppError(404, 'CASE_ACCOUNT_NOT_IN_CASE', 'Some accounts are not listed on this case; nothing was frozen', {
      accountIds: [...accountIds],
    }),
  flagNotFound: (flagId: string) =>
    new AppError(404, 'CASE_FLAG_NOT_FOUND', "No such flag on this case's account", { flagId }),
  /** 409: only a flag whose latest label is confirmed fraud offers its destination to the block list. */
  flagNotConfirmedFraud: (flagId: string) =>
    new AppError(409, 'CASE_FLAG_NOT_CONFIRMED_FRAUD', 'Label the flag as fraud before blocking its destination', {
      flagId,
    }),
  /** 409: the flagged transaction named no counterparty (or the flag predates the lists). */
  flagHasNoDestination: (flagId: string) =>
    new AppError(409, 'CASE_FLAG_HAS_NO_DESTINATION', 'The flagged transaction names no destination to block', {
      flagId,
    }),
  /**
   * The monitor refused a lists request: its `TXM_LIST_*` code answered as `CASE_LIST_*` with the
   * same status and details (invalid value, expiry in the past, duplicate, unknown or removed entry).
   */
  listRefused: (status: number, code: string, message: string, details: unknown) =>
    new AppError(status, code, message, details),
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

  /** 422: settings that parse but cannot work (bad zone, inverted or overlapping hours, empty week...). */
  calendarInvalid: (problem: { code: string; message: string; details: Record<string, unknown> }) =>
    new AppError(422, problem.code, problem.message, problem.details),
  /** 409: someone saved calendar settings since the version the caller edited; reload and retry. */
  calendarVersionConflict: (expectedVersion: number, currentVersion: number) =>
    new AppError(
      409,
      'CASE_CALENDAR_VERSION_CONFLICT',
      `The calendars changed since version ${expectedVersion}; version ${currentVersion} is current`,
      { expectedVersion, currentVersion },
    ),
  calendarVersionNotFound: (version: number) =>
    new AppError(404, 'CASE_CALENDAR_VERSION_NOT_FOUND', 'No such version of the calendar settings', { version }),

  macroNotFound: () => new AppError(404, 'CASE_MACRO_NOT_FOUND', 'No macro with this id (or it was deleted)'),
  /** 422: a macro text with a `{{name}}` that is not a placeholder, or a `{{` that opens none. */
  macroTemplateInvalid: (
    code: 'CASE_MACRO_UNKNOWN_PLACEHOLDER' | 'CASE_MACRO_MALFORMED_PLACEHOLDER',
    details: { locale: string; offset: number; placeholder?: string; known: readonly string[] },
  ) =>
    new AppError(
      422,
      code,
      code === 'CASE_MACRO_UNKNOWN_PLACEHOLDER'
        ? `{{${details.placeholder}}} (${details.locale}) is not a placeholder; use ${details.known.join(', ')}`
        : `The ${details.locale} text has a "{{" that opens no {{placeholder}}`,
      { ...details, known: [...details.known] },
    ),
  /** 409: someone saved the macro since the version the caller edited; reload and retry. */
  macroVersionConflict: (expectedVersion: number) =>
    new AppError(409, 'CASE_MACRO_VERSION_CONFLICT', `The macro changed since version ${expectedVersion}`, {
      expectedVersion,
    }),

  /** 409: only a resolved (or closed) case is rated. */
  satisfactionNotResolved: (status: string) =>
    new AppError(409, 'CASE_NOT_RESOLVED', `The case is ${status}; only a resolved case is rated`, { status }),
  /** 409: the case was never asked for a rating (not a customer-facing case). */
  satisfactionNotRequested: () => new AppError(409, 'CASE_SATISFACTION_NOT_REQUESTED', 'This case asks for no rating'),
  satisfactionAlreadyAnswered: () =>
    new AppError(409, 'CASE_SATISFACTION_ALREADY_ANSWERED', 'This case has been rated already'),
  satisfactionExpired: (expiresAt: Date) =>
    new AppError(410, 'CASE_SATISFACTION_EXPIRED', 'The time to rate this case is over', {
      expiresAt: expiresAt.toISOString(),
    }),
  /** 400: a case cannot be merged into itself. */
  mergeIntoItself: () => new AppError(400, 'CASE_MERGE_INTO_ITSELF', 'A case cannot be merged into itself'),
  /** 422: both cases exist but belong to different accounts; only one account's duplicates merge. */
  mergeOtherAccount: () =>
    new AppError(
      422,
      'CASE_MERGE_OTHER_ACCOUNT',
      'The cases belong to different accounts; only duplicates of one account merge',
    ),
  /** 409: one of the two cases is resolved, closed or merged already (`mergedInto` when merged). */
  mergeCaseClosed: (which: 'case' | 'into', caseId: string, status: string, mergedInto: string | null) =>
    new AppError(
      409,
      'CASE_MERGE_CASE_CLOSED',
      mergedInto ? `That case was merged into another already` : `That case is ${status}; only open cases merge`,
      { which, caseId, status, mergedInto },
    ),
  /** 409: a merged case stays closed; its survivor is where work goes on. */
  caseMerged: (mergedInto: string) =>
    new AppError(409, 'CASE_MERGED', 'This case was merged into another; work on that case instead', { mergedInto }),
  /** 400: a report's `from` is not before its `to`, or the range is longer than the longest allowed. */
  reportRangeInvalid: (message: string) => new AppError(400, 'CASE_REPORT_RANGE_INVALID', message),

  consoleNotBuilt: () =>
    new AppError(
      503,
      'CASE_CONSOLE_NOT_BUILT',
      'The agent console is not built: run `pnpm --filter @wallet-guard/support-cases build:console` (npm start does it)',
    ),
};
