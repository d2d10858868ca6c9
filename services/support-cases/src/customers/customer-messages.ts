import type { Database } from '@wallet-guard/db';
import type { Kysely } from 'kysely';
import { CUSTOMER } from '../cases/actor';
import type { CaseContext } from '../cases/case-context';
import type { CaseRecord } from '../cases/case-record';
import { isOpenStatus } from '../cases/case-rules';
import { assertTransition, type Change, lockOrThrow, recordChanges } from '../cases/case-taking';
import type { TimelineEntry } from '../cases/cases-repo';
import { updateCase } from '../cases/cases-repo';
import { survivingCaseId } from '../cases/merge-store';
import { slaColumns } from '../cases/sla-clock';
import { caseErrors } from '../errors';

/**
 * The customer writes on their own case: the message joins the timeline as a public note from
 * the customer (so the wallet's listing and the agent console show it), and a case waiting for
 * the customer goes back to `open`, its SLA pause ended and credited. Another account's case is
 * 404 CASE_NOT_FOUND (its existence is not revealed); a resolved or closed case is 409
 * CASE_CLOSED (the customer opens a new request instead). No `case.public_note_added` event: the
 * notifier must not e-mail customers their own words.
 */
export async function addCustomerMessage(
  deps: { db: Kysely<Database>; context: CaseContext },
  input: { caseId: string; accountId: string; body: string },
): Promise<CaseRecord> {
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.context.clock();
    // A case merged as a duplicate goes on as its survivor: the message lands there.
    let current = await lockOrThrow(trx, (await survivingCaseId(trx, input.caseId)) ?? input.caseId);
    if (current.accountId !== input.accountId) throw caseErrors.caseNotFound();
    if (!isOpenStatus(current.status)) throw caseErrors.caseClosed(current.status, false);
    const entries: TimelineEntry[] = [{ actor: 'customer', kind: 'note', visibility: 'public', body: input.body }];
    const changes: Change[] = [];
    if (current.status === 'pending_customer') {
      assertTransition('pending_customer', 'open', CUSTOMER, 'customer_reply');
      current = await updateCase(
        trx,
        current.id,
        { status: 'open', ...(await slaColumns(trx, deps.context, current, { resumeAt: now })) },
        now,
      );
      entries.push({ actor: 'customer', kind: 'status_changed', oldValue: 'pending_customer', newValue: 'open' });
      changes.push({ field: 'status', from: 'pending_customer', to: 'open' });
    }
    return recordChanges(trx, current, entries, changes, now);
  });
}
