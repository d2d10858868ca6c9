import { z } from 'zod';
import { riskDecision } from '../events/risk';
import { counterpartyKind } from '../events/wallet-transactions';
import { money } from '../money';

const instant = z.iso.datetime({ offset: true });

/** Accounts one freeze request may name at most (each is one call to auth). */
export const NETWORK_FREEZE_MAX_ACCOUNTS = 50;

/** One account a network case lists: what it paid the destination, its takeover signs and flags. */
export const networkAccountView = z.object({
  accountId: z.uuid(),
  firstPaidAt: instant,
  lastPaidAt: instant,
  payments: z.number().int().min(1),
  amounts: z.array(money),
  securityChangeAt: instant.nullable(),
  flaggedAt: instant.nullable(),
  decision: riskDecision.nullable(),
  maxScore: z.number().int().min(0).max(100),
  flagIds: z.array(z.uuid()),
  /** When the case first listed it. */
  addedAt: instant,
});
export type NetworkAccountView = z.infer<typeof networkAccountView>;

/** GET /v1/cases/:id/network: the destination of a `mule_destination` case and the accounts paying it. */
export const networkCaseView = z.object({
  caseId: z.uuid(),
  incidentKey: z.string(),
  destination: z.object({ kind: counterpartyKind, id: z.string() }),
  /** The monitor's latest announcement applied (1 when the case opened). */
  revision: z.number().int().min(1),
  incidentOpenedAt: instant,
  window: z.object({
    hours: z.number().positive(),
    newPayers: z.number().int().min(0),
    newPayersWithSigns: z.number().int().min(0),
  }),
  received: z.array(money),
  /** Earliest payer first. */
  accounts: z.array(networkAccountView),
  updatedAt: instant,
});
export type NetworkCaseView = z.infer<typeof networkCaseView>;

/** POST /v1/cases/:id/actions/freeze-listed-accounts. */
export const freezeListedAccountsRequest = z.object({
  /** Accounts the case lists (any other: 404 CASE_ACCOUNT_NOT_IN_CASE, nothing frozen). */
  accountIds: z.array(z.uuid()).min(1).max(NETWORK_FREEZE_MAX_ACCOUNTS),
  reason: z.string().trim().min(1).max(500),
});
export type FreezeListedAccountsRequest = z.infer<typeof freezeListedAccountsRequest>;

/** Each account's outcome, in the order asked: frozen, or the stable code of why not. */
export const freezeListedAccountsResult = z.object({
  results: z.array(
    z.object({
      accountId: z.uuid(),
      outcome: z.enum(['frozen', 'failed']),
      /** With `failed`: CASE_ACTION_REJECTED, CASE_ACCOUNT_NOT_FOUND, CASE_UPSTREAM_UNAVAILABLE ... */
      code: z.string().optional(),
    }),
  ),
});
export type FreezeListedAccountsResult = z.infer<typeof freezeListedAccountsResult>;
