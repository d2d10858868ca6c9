// Which resolved cases ask their customer for a rating, and until when. Pure: no I/O, no clock.
import type { CaseType } from '@wallet-guard/contracts';

/**
 * The customer-facing case types: the ones the customer started (complaint, theft report,
 * question, dispute), whose resolution the notifier announces to them. Cases our own detection
 * opened (lockout, suspected theft, hijack, freeze) ask nothing: the customer never asked us.
 */
const RATED_CASE_TYPES: readonly CaseType[] = [
  'customer_complaint',
  'customer_theft_report',
  'customer_question',
  'transaction_dispute',
];

export const asksForRating = (type: CaseType): boolean => RATED_CASE_TYPES.includes(type);

const DAY_MS = 86_400_000;

/** Until when the customer of a case resolved at `resolvedAt` may rate it. */
export const ratingExpiresAt = (resolvedAt: Date, expiryDays: number): Date =>
  new Date(resolvedAt.getTime() + expiryDays * DAY_MS);

/** Where a rating request stands for the customer: open to answer, answered, or too late. */
export type RatingState = 'asked' | 'answered' | 'expired';

export function ratingState(request: { answeredAt: Date | null; expiresAt: Date }, now: Date): RatingState {
  if (request.answeredAt) return 'answered';
  return request.expiresAt > now ? 'asked' : 'expired';
}
