import type { Database } from '@wallet-guard/db';
import type { Kysely } from 'kysely';
import type { CaseContext } from '../cases/case-context';
import type { CaseRecord } from '../cases/case-record';
import { isOpenStatus } from '../cases/case-rules';
import { appendTimeline, lockCase } from '../cases/cases-repo';
import { caseErrors } from '../errors';
import { answerRating, type RatingRequest, ratingRequestsOf } from './satisfaction-store';

/**
 * The customer rates their resolved case (1-5, an optional comment). The caller vouches for
 * `accountId` (the wallet backend or the portal, for its signed-in customer).
 *
 * - another account's case, or none: 404 CASE_NOT_FOUND (its existence is not revealed);
 * - a case that is not resolved or closed (never resolved, or reopened): 409 CASE_NOT_RESOLVED;
 * - a case that asks no rating (opened by our detection): 409 CASE_SATISFACTION_NOT_REQUESTED;
 * - rated already: 409 CASE_SATISFACTION_ALREADY_ANSWERED; after the expiry: 410 CASE_SATISFACTION_EXPIRED.
 *
 * One answer per case however many arrive at once: the answer is one conditional update. The case
 * row is locked meanwhile, so a reopen cannot slip between the status check and the answer. The
 * timeline gets an internal entry with the rating (the comment as its body), for the agents.
 */
export async function rateCase(
  deps: { db: Kysely<Database>; context: CaseContext },
  input: { caseId: string; accountId: string; rating: number; comment?: string | undefined },
): Promise<{ case: CaseRecord; request: RatingRequest }> {
  return deps.db.transaction().execute(async (trx) => {
    const c = await lockCase(trx, input.caseId);
    if (!c || c.accountId !== input.accountId) throw caseErrors.caseNotFound();
    if (isOpenStatus(c.status)) throw caseErrors.satisfactionNotResolved(c.status);
    const now = deps.context.clock();
    const comment = input.comment?.trim() || null;
    const answered = await answerRating(trx, { caseId: c.id, rating: input.rating, comment, at: now });
    if (!answered) {
      const request = (await ratingRequestsOf(trx, [c.id])).get(c.id);
      if (!request) throw caseErrors.satisfactionNotRequested();
      if (request.answeredAt) throw caseErrors.satisfactionAlreadyAnswered();
      throw caseErrors.satisfactionExpired(request.expiresAt);
    }
    await appendTimeline(
      trx,
      c.id,
      [
        {
          actor: 'customer',
          kind: 'satisfaction_rated',
          newValue: { rating: input.rating },
          ...(comment ? { body: comment } : {}),
          data: { rating: input.rating },
        },
      ],
      now,
    );
    return { case: c, request: answered };
  });
}
