import type { Database } from '@wallet-guard/db';
import type { Transaction } from 'kysely';
import type { Actor } from '../cases/actor';
import type { CaseContext } from '../cases/case-context';
import type { CaseRecord } from '../cases/case-record';
import { asksForRating, ratingExpiresAt } from './satisfaction-rules';
import { requestRating } from './satisfaction-store';

/**
 * Called by the resolution of a case, in its transaction: a customer-facing case asks its
 * customer for a rating for `context.satisfaction.expiryDays`, counted for the agent who resolved
 * it (or, resolved by the service, the one holding it). Returns the expiry to announce in
 * `case.resolved` (the notifier's e-mail then carries the rating links), or null when the customer
 * is not asked (another case type, or the case was rated before a reopen).
 */
export async function askForRating(
  trx: Transaction<Database>,
  context: CaseContext,
  resolved: CaseRecord,
  actor: Actor,
  at: Date,
): Promise<Date | null> {
  if (!asksForRating(resolved.type)) return null;
  const agent = actor.kind === 'agent' ? actor.name : resolved.assignee;
  return requestRating(trx, resolved, agent, at, ratingExpiresAt(at, context.satisfaction.expiryDays));
}
