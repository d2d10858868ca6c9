import { z } from 'zod';
import { accountId, envelope, isoDateTime } from '../envelope';
import { money } from '../money';
import { riskDecision } from './risk';
import { counterpartyKind } from './wallet-transactions';

/** Accounts one announcement lists at most (the earliest payers first). */
export const MULE_DESTINATION_MAX_ACCOUNTS = 200;

/** Currencies one amount list carries at most (the monitor keeps the largest totals). */
export const MULE_DESTINATION_MAX_CURRENCIES = 32;

/** One account paying the destination, as the monitor saw it. */
export const muleDestinationAccount = z.object({
  accountId,
  firstPaidAt: isoDateTime,
  lastPaidAt: isoDateTime,
  payments: z.number().int().min(1),
  /** What it paid the destination in all, per currency (minor units). */
  amounts: z.array(money).max(MULE_DESTINATION_MAX_CURRENCIES),
  /** Its latest takeover-sign security change (password reset, 2FA off, new device ...) before a payment. */
  securityChangeAt: isoDateTime.nullable(),
  /** Its latest payment to the destination decided review or suspected_theft by other rules. */
  flaggedAt: isoDateTime.nullable(),
  /** The strongest decision among its payments to the destination (null: all allowed). */
  decision: riskDecision.nullable(),
  maxScore: z.number().int().min(0).max(100),
  /** Flags of those payments (`risk.transaction-flags.v1` flagId), at most 20. */
  flagIds: z.array(z.uuid()).max(20),
});
export type MuleDestinationAccount = z.infer<typeof muleDestinationAccount>;

/**
 * A destination many accounts started paying, several of them showing takeover signs: a money
 * mule collecting a ring's takeovers. Announced once when it crosses the monitor's incident
 * threshold, then again (same `incidentKey`, `revision` + 1) each time more accounts pay it; each
 * announcement lists every account of the window, so the latest revision is the whole picture.
 * `accountId` (envelope) is the account whose payment caused this revision; the Kafka key is the
 * incident key.
 */
export const muleDestinationDetected = envelope(
  'mule_destination.detected',
  1,
  z.object({
    /** The destination as `kind:id`: one incident per destination. */
    incidentKey: z.string().min(3).max(160),
    destination: z.object({ kind: counterpartyKind, id: z.string().min(1).max(128) }),
    /** 1 when the incident opens, one more per later announcement. */
    revision: z.number().int().min(1),
    incidentOpenedAt: isoDateTime,
    /** The rule's window when announced: accounts that first paid it within `hours`, and how many showed takeover signs. */
    window: z.object({
      hours: z.number().positive(),
      newPayers: z.number().int().min(0),
      newPayersWithSigns: z.number().int().min(0),
    }),
    /** Hours of payments the account list covers (the rules' `longWindowHours`). */
    listedHours: z.number().positive(),
    accounts: z.array(muleDestinationAccount).min(1).max(MULE_DESTINATION_MAX_ACCOUNTS),
    /** Total the listed accounts paid it, per currency (minor units). */
    received: z.array(money).max(MULE_DESTINATION_MAX_CURRENCIES),
    rulesVersion: z.string().min(1).max(64),
  }),
);
export type MuleDestinationDetected = z.infer<typeof muleDestinationDetected>;
