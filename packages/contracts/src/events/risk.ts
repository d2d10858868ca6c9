import { z } from 'zod';
import { envelope } from '../envelope';
import { amountMinor, currencyCode } from '../money';
import { transactionType } from './wallet-transactions';

export const RISK_DECISIONS = ['allow', 'review', 'suspected_theft'] as const;
export const riskDecision = z.enum(RISK_DECISIONS);
export type RiskDecision = z.infer<typeof riskDecision>;

/** One rule's contribution to a score, with a sentence an agent can read. */
export const flagReason = z.object({
  rule: z.string().min(1).max(64),
  /** Points the rule added; for `owner_confirmed` (the owner confirmed the payment) the points taken off instead. */
  points: z.number().min(0).max(100),
  detail: z.string().max(500),
  /** Added in place (optional): the rule runs in shadow mode, so its points count in no decision. */
  shadow: z.boolean().optional(),
});
export type FlagReason = z.infer<typeof flagReason>;

export const transactionFlagged = envelope(
  'transaction.flagged',
  1,
  z.object({
    flagId: z.uuid(),
    transactionId: z.string().min(1).max(128),
    transactionType,
    amountMinor,
    currency: currencyCode,
    score: z.number().int().min(0).max(100),
    decision: riskDecision,
    reasons: z.array(flagReason),
    rulesVersion: z.string().min(1).max(64),
    /** Scored by rules in shadow mode: stored and announced, never acted on. */
    shadow: z.boolean(),
  }),
);
export type TransactionFlagged = z.infer<typeof transactionFlagged>;

export const theftSuspected = envelope(
  'theft.suspected',
  1,
  z.object({
    flagIds: z.array(z.uuid()).min(1),
    transactionIds: z.array(z.string().min(1).max(128)).min(1),
    /** The auth security events (eventIds) that made the pattern look like a takeover. */
    securityEventIds: z.array(z.uuid()),
    score: z.number().int().min(0).max(100),
    reasons: z.array(flagReason),
    rulesVersion: z.string().min(1).max(64),
  }),
);
export type TheftSuspected = z.infer<typeof theftSuspected>;
