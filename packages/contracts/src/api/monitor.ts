import { z } from 'zod';
import { accountId, isoDateTime } from '../envelope';
import { flagReason, riskDecision } from '../events/risk';
import { counterpartyKind, transactionType, walletTransaction } from '../events/wallet-transactions';
import { page } from '../http';
import { amountMinor, currencyCode } from '../money';
import type { ApiEndpoint } from './endpoint';

/**
 * HTTP shapes of the transaction monitor that other services call: support-cases reads flags and
 * risk profiles and sends agents' labels; the wallet backend submits and pre-scores transactions.
 */

const transactionId = z.string().min(1).max(128);
const score = z.number().int().min(0).max(100);

/** An agent's verdict on a flag, kept to tune the rules. */
export const FEEDBACK_LABELS = ['confirmed_fraud', 'false_positive'] as const;
export const feedbackLabel = z.enum(FEEDBACK_LABELS);
export type FeedbackLabel = z.infer<typeof feedbackLabel>;

export const flagFeedbackBody = z.object({
  label: feedbackLabel,
  /** Who labelled: an agent's name or id, as support-cases knows it. */
  actor: z.string().min(1).max(200),
  /** The support case the label was given from: its uuid, as support-cases keys cases. */
  caseId: z.uuid().optional(),
  note: z.string().max(2000).optional(),
});
export type FlagFeedbackBody = z.infer<typeof flagFeedbackBody>;

export const flagFeedback = z.object({
  id: z.uuid(),
  flagId: z.uuid(),
  label: feedbackLabel,
  actor: z.string(),
  caseId: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: isoDateTime,
});
export type FlagFeedback = z.infer<typeof flagFeedback>;

/** A scored transaction with at least one rule hit (clean transactions leave no flag). */
export const monitorFlag = z.object({
  id: z.uuid(),
  transactionId,
  accountId,
  transactionType,
  amountMinor,
  currency: currencyCode,
  /** Points of the live rules; `decision` follows from it. */
  score,
  decision: riskDecision,
  /** What score and decision would be with the shadow-mode rules counted too. */
  shadowScore: score,
  shadowDecision: riskDecision,
  reasons: z.array(flagReason),
  /** Auth security events (eventIds) that contributed, e.g. 2FA disabled shortly before. */
  securityEventIds: z.array(z.uuid()),
  rulesVersion: z.string(),
  /** The managed lists' version the flag was scored with (`monitorListsApi`); null on flags older than the lists. */
  listsVersion: z.number().int().nonnegative().nullable(),
  /**
   * Who the flagged transaction paid, as the wallet named them (what an agent may add to the block
   * list when labelling confirmed fraud); null when it named no one, and on flags older than the lists.
   */
  counterparty: z.object({ kind: counterpartyKind, id: z.string() }).nullable(),
  /** When the transaction happened (the wallet's clock). */
  occurredAt: isoDateTime,
  createdAt: isoDateTime,
  /** The latest agent label, if any. */
  label: feedbackLabel.nullable(),
});
export type MonitorFlag = z.infer<typeof monitorFlag>;

export const flagDetail = monitorFlag.extend({ feedback: z.array(flagFeedback) });
export type FlagDetail = z.infer<typeof flagDetail>;

export const flagListQuery = z.object({
  accountId: accountId.optional(),
  transactionId: transactionId.optional(),
  decision: riskDecision.optional(),
  /** Flags created at or after this instant, to the microsecond (finer digits round up: nothing earlier slips in). */
  since: isoDateTime.optional(),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type FlagListQuery = z.infer<typeof flagListQuery>;

export const flagPage = page(monitorFlag);
export type FlagPage = z.infer<typeof flagPage>;

export const amountStatistics = z.object({
  currency: currencyCode,
  /** Outgoing amounts the statistics are computed from (the most recent ones). */
  sampleSize: z.number().int().nonnegative(),
  medianMinor: amountMinor,
  /** Median absolute deviation: how far amounts usually stray from the median. */
  madMinor: amountMinor,
});

export const timelineEntry = z.object({
  eventId: z.uuid(),
  /** The security event's type, e.g. `totp.disabled`. */
  type: z.string(),
  occurredAt: isoDateTime,
  ip: z.string().nullable(),
  deviceId: z.string().nullable(),
  country: z.string().nullable(),
});

/** What the monitor knows about an account, for an agent looking at a case. */
export const riskProfile = z.object({
  accountId,
  transactionCount: z.number().int().nonnegative(),
  firstSeenAt: isoDateTime.nullable(),
  lastActivityAt: isoDateTime.nullable(),
  amountStatistics: z.array(amountStatistics),
  knownCounterparties: z.number().int().nonnegative(),
  knownDevices: z.number().int().nonnegative(),
  knownCountries: z.array(z.string()),
  lastLocation: z.object({ lat: z.number(), lon: z.number(), at: isoDateTime }).nullable(),
  recentSecurityEvents: z.array(timelineEntry),
  recentFlags: z.array(monitorFlag),
});
export type RiskProfile = z.infer<typeof riskProfile>;

/** `POST /v1/score`: a proposed transaction, in the same shape as on `wallet.transactions.v1`. */
export const scoreRequest = walletTransaction;

export const scoreResult = z.object({
  transactionId,
  score,
  decision: riskDecision,
  shadowScore: score,
  shadowDecision: riskDecision,
  reasons: z.array(flagReason),
  rulesVersion: z.string(),
  /**
   * The wallet should have the owner confirm this payment (auth's `POST /v1/confirmations`) and
   * score it again with the `confirmationToken`: the decision reached MONITOR_CONFIRMATION_REQUIRED_AT
   * (`review` by default) and no valid confirmation came with it.
   */
  confirmationRequired: z.boolean(),
  /**
   * A valid confirmation token bound to this very transaction (account, transaction id, amount,
   * currency, payee) came with it: reason `owner_confirmed` took points off the score.
   */
  confirmed: z.boolean(),
});
export type ScoreResult = z.infer<typeof scoreResult>;

/** Most transactions per `POST /v1/transactions` call (one consumer chunk). */
export const MAX_TRANSACTIONS_PER_BATCH = 500;

/** Items are checked one by one, so one bad item is refused alone (schema: `walletTransaction`). */
export const transactionBatch = z.object({
  transactions: z
    .array(z.unknown())
    .min(1)
    .max(MAX_TRANSACTIONS_PER_BATCH)
    .describe('Wallet transactions, each in the wallet.transactions.v1 payload shape'),
});

export const transactionBatchItemResult = z.object({
  index: z.number().int().nonnegative(),
  transactionId: z.string().nullable(),
  status: z.enum(['accepted', 'rejected']),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

export const transactionBatchResult = z.object({
  accepted: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  results: z.array(transactionBatchItemResult),
});
export type TransactionBatchResult = z.infer<typeof transactionBatchResult>;

/**
 * The monitor's flags API that support-cases calls (scope `internal`, `x-api-key`), as
 * `createServiceClient` from `@wallet-guard/http` calls it.
 */
export const monitorFlagsApi = {
  /** Flags, newest first, filtered by account, transaction, decision or time. */
  listFlags: { method: 'GET', path: '/v1/flags', query: flagListQuery, responses: { 200: flagPage } },
  /** One flag with every label given to it. 404 when there is none. */
  getFlag: { method: 'GET', path: '/v1/flags/:id', responses: { 200: flagDetail } },
  /** Records an agent's label on a flag. 404 when there is no such flag. */
  addFlagFeedback: {
    method: 'POST',
    path: '/v1/flags/:id/feedback',
    body: flagFeedbackBody,
    responses: { 201: flagFeedback },
  },
} as const satisfies Record<string, ApiEndpoint>;

/**
 * One of an account's transactions as the monitor applied it: what a customer needs to recognise
 * it (the account portal's dispute form). Amounts are minor units of `currency` (ISO 4217
 * exponent: see `minorUnitDigits`); `occurredAt` is the wallet's clock.
 */
const accountTransaction = z.object({
  transactionId,
  type: transactionType,
  amountMinor,
  currency: currencyCode,
  /** Who the money went to or came from, as the wallet named them; null when it named no one. */
  counterparty: z.object({ id: z.string(), kind: counterpartyKind }).nullable(),
  occurredAt: isoDateTime,
});
export type AccountTransaction = z.infer<typeof accountTransaction>;

/** Most transactions one `GET /v1/accounts/:accountId/transactions` answers. */
const MAX_ACCOUNT_TRANSACTIONS_PAGE = 100;

export const accountTransactionsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_ACCOUNT_TRANSACTIONS_PAGE).default(20),
  /** The previous page's `nextCursor`: the transactions after it, older ones. */
  before: z.string().max(512).optional(),
});
export type AccountTransactionsQuery = z.infer<typeof accountTransactionsQuery>;

export const accountTransactionsPage = page(accountTransaction);
export type AccountTransactionsPage = z.infer<typeof accountTransactionsPage>;

/**
 * The monitor's account routes for the wallet's own customers (scope `wallet`, `x-api-key`), as the
 * account portal calls them with `createServiceClient` from `@wallet-guard/http`. The caller
 * vouches for `accountId` (its own signed-in customer). Errors: 400 `TXM_VALIDATION_FAILED` (not
 * a uuid, limit outside 1-100), 400 `TXM_INVALID_CURSOR` (a `before` this service did not issue).
 */
export const monitorAccountApi = {
  /**
   * The account's transactions, newest first by `occurredAt` (then `transactionId`), 20 by default,
   * as long as the monitor keeps them (`MONITOR_RETENTION_DAYS`). An account the monitor has not
   * seen answers an empty page.
   */
  listAccountTransactions: {
    method: 'GET',
    path: '/v1/accounts/:accountId/transactions',
    query: accountTransactionsQuery,
    responses: { 200: accountTransactionsPage },
  },
} as const satisfies Record<string, ApiEndpoint>;
