import { z } from 'zod';
import { isoDateTime } from '../envelope';
import { securityEvent } from '../events/security-events';
import { type ApiEndpoint, emptyAnswer } from './endpoint';

/**
 * HTTP shapes of the auth service's internal API (scope `internal`): support-cases reads an
 * account and its security history, and unlocks, freezes and unfreezes it for a case.
 */

/** Who acts and for which case: recorded in the events the action emits. */
const agentAction = {
  /** The agent (or service) acting, as the caller knows it: "agent:ada", "transaction-monitor". */
  actor: z.string().trim().min(1).max(200),
  /**
   * The support case (its uuid, as support-cases issues it). The action's event carries it to
   * support-cases, which keys cases by uuid: any other text would be accepted here and then
   * dead-lettered there, and the incident (a P1 freeze case) lost.
   */
  caseId: z.uuid().optional(),
  reason: z.string().trim().max(500).optional(),
};

export const internalUnlockBody = z.object(agentAction);
export type InternalUnlockBody = z.infer<typeof internalUnlockBody>;

export const internalFreezeBody = z.object({
  ...agentAction,
  /**
   * `system` when a service (not a person) decided, e.g. the transaction monitor; `user` when the
   * customer asked for it through the wallet (a theft report relayed by support-cases).
   */
  by: z.enum(['agent', 'system', 'user']).default('agent'),
});
export type InternalFreezeBody = z.input<typeof internalFreezeBody>;

export const internalUnfreezeBody = z.object(agentAction);
export type InternalUnfreezeBody = z.infer<typeof internalUnfreezeBody>;

/** One failure counter: `any` (every unknown source) or a recently used device or IP. */
export const accountLockView = z.object({
  subject: z.string(),
  /** True while sign-in from this source is refused. */
  locked: z.boolean(),
  /** A hard lock lasts until an unlock link, a password reset or an agent lifts it. */
  hard: z.boolean(),
  lockedUntil: isoDateTime.nullable(),
  failures: z.number().int().nonnegative(),
});

export const internalAccountView = z.object({
  accountId: z.uuid(),
  email: z.string(),
  locale: z.string(),
  status: z.enum(['active', 'frozen']),
  frozen: z
    .object({ at: isoDateTime, by: z.enum(['user', 'agent', 'system']), reason: z.string().nullable() })
    .nullable(),
  /** True when any source is locked out; `locks` says which. */
  locked: z.boolean(),
  locks: z.array(accountLockView),
  twoFactorEnabled: z.boolean(),
  activeSessions: z.number().int().nonnegative(),
  createdAt: isoDateTime,
  lastLoginAt: isoDateTime.nullable(),
  passwordChangedAt: isoDateTime,
});
export type InternalAccountView = z.infer<typeof internalAccountView>;

export const securityEventsQuery = z.object({
  /** The `nextBefore` of the previous page; absent for the newest events. */
  before: z
    .string()
    .regex(/^\d{1,19}$/, { message: 'must be a cursor from nextBefore' })
    // The cursor is a bigint row id: nineteen nines would pass the pattern and fail in Postgres.
    .refine((v) => !/^\d+$/.test(v) || BigInt(v) <= 9223372036854775807n, {
      message: 'must be a cursor from nextBefore',
    })
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type SecurityEventsQuery = z.input<typeof securityEventsQuery>;

/** Newest first, each exactly as published on auth.security-events.v1. */
export const securityEventsPage = z.object({
  items: z.array(securityEvent),
  /** Pass as `before` for older events; null on the last page. */
  nextBefore: z.string().nullable(),
});
export type SecurityEventsPage = z.infer<typeof securityEventsPage>;

/**
 * The auth internal API (scope `internal`, `x-api-key`), as `createServiceClient` from
 * `@wallet-guard/http` calls it. Every account path takes the account's uuid as `id`.
 */
export const authInternalApi = {
  /** The account for an agent: status, locks, two-factor, sessions. 404 when there is none. */
  getAccount: { method: 'GET', path: '/internal/v1/accounts/:id', responses: { 200: internalAccountView } },
  /** The account's security events, newest first (`before` pages back). */
  listSecurityEvents: {
    method: 'GET',
    path: '/internal/v1/accounts/:id/security-events',
    query: securityEventsQuery,
    responses: { 200: securityEventsPage },
  },
  /** Lifts every lock of the account. 404 when there is no such account. */
  unlockAccount: {
    method: 'POST',
    path: '/internal/v1/accounts/:id/unlock',
    body: internalUnlockBody,
    responses: { 204: emptyAnswer },
  },
  /** Freezes the account: every session ends and sign-in stops. 404 when there is no such account. */
  freezeAccount: {
    method: 'POST',
    path: '/internal/v1/accounts/:id/freeze',
    body: internalFreezeBody,
    responses: { 204: emptyAnswer },
  },
  /** Unfreezes the account; sign-in works again. */
  unfreezeAccount: {
    method: 'POST',
    path: '/internal/v1/accounts/:id/unfreeze',
    body: internalUnfreezeBody,
    responses: { 204: emptyAnswer },
  },
} as const satisfies Record<string, ApiEndpoint>;
