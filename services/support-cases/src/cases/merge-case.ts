import type { Database } from '@wallet-guard/db';
import type { Transaction } from 'kysely';
import { caseErrors } from '../errors';
import { type AgentActor, actorLabel } from './actor';
import type { CaseContext } from './case-context';
import { publishCaseEvent } from './case-events';
import type { CaseRecord } from './case-record';
import { isOpenStatus, morePressing } from './case-rules';
import { assertNotHeldByAnother, assertTransition, lockOrThrow } from './case-taking';
import { addEvidence, appendTimeline, getCase, updateCase } from './cases-repo';
import {
  copyTimeline,
  lockAccountIncidents,
  lockPairInIdOrder,
  moveEvidence,
  moveIncidentKeys,
  repointMerged,
} from './merge-store';
import { slaColumns } from './sla-clock';

export interface MergeResult {
  /** The duplicate, now closed with `mergedInto`. */
  merged: CaseRecord;
  /** The case that carries on, with the duplicate's timeline, evidence, keys and occurrences. */
  survivor: CaseRecord;
}

/**
 * POST /v1/cases/:id/merge: closes case `caseId` as a duplicate of `intoCaseId` (same account).
 *
 * The survivor receives a copy of the duplicate's whole timeline (`data.mergedFrom` on each entry;
 * public notes stay public, so the customer reads them on the survivor), its evidence and a `case`
 * evidence link to it, its open incident keys (later events with those keys land on the survivor),
 * its occurrences, and its priority if more pressing (deadlines derived again, as for a raise).
 * The duplicate closes through the state machine (`merge`: an agent for a working case, a
 * supervisor for an escalated one) with `merged_into` set. Both get a `merged` timeline entry by
 * the agent with the reason and a `case.updated` event.
 *
 * Race safety: the account's incident lock (the one `recordIncident` takes) first, then both rows
 * in id order; every check is made again under the locks. So an incident arriving for either case
 * during the merge is applied wholly before it (and moves) or wholly after (and finds its key on the
 * survivor), never on the closed duplicate.
 *
 * Errors: 400 CASE_MERGE_INTO_ITSELF; 404 CASE_NOT_FOUND (either case); 422 CASE_MERGE_OTHER_ACCOUNT;
 * 409 CASE_MERGE_CASE_CLOSED (either case resolved, closed or merged; `details.which`);
 * 409 CASE_ALREADY_CLAIMED (the duplicate is held by another agent); 403 CASE_FORBIDDEN (an agent
 * merging an escalated case).
 */
export async function mergeCase(
  trx: Transaction<Database>,
  context: CaseContext,
  caseId: string,
  agent: AgentActor,
  request: { intoCaseId: string; reason: string },
): Promise<MergeResult> {
  if (caseId === request.intoCaseId) throw caseErrors.mergeIntoItself();
  // The account never changes, so it is read before the locks (which need it).
  const [first, firstInto] = await Promise.all([getCase(trx, caseId), getCase(trx, request.intoCaseId)]);
  if (!first || !firstInto) throw caseErrors.caseNotFound();
  if (first.accountId !== firstInto.accountId) throw caseErrors.mergeOtherAccount();

  await lockAccountIncidents(trx, first.accountId);
  await lockPairInIdOrder(trx, caseId, request.intoCaseId);
  const duplicate = await lockOrThrow(trx, caseId);
  const into = await lockOrThrow(trx, request.intoCaseId);
  for (const [which, c] of [
    ['case', duplicate],
    ['into', into],
  ] as const) {
    if (!isOpenStatus(c.status) || c.mergedInto) throw caseErrors.mergeCaseClosed(which, c.id, c.status, c.mergedInto);
  }
  assertTransition(duplicate.status, 'closed', agent, 'merge');
  assertNotHeldByAnother(duplicate, agent);

  const now = context.clock();
  const by = actorLabel(agent);
  // The survivor's header entry first, then the duplicate's story under it, in its order.
  await appendTimeline(
    trx,
    into.id,
    [
      {
        actor: by,
        kind: 'merged',
        body: request.reason,
        oldValue: { occurrences: into.occurrenceCount },
        newValue: { mergedFrom: duplicate.number, occurrences: into.occurrenceCount + duplicate.occurrenceCount },
        data: { mergedFrom: { caseId: duplicate.id, caseNumber: duplicate.number } },
      },
    ],
    now,
  );
  await copyTimeline(trx, duplicate, into.id);
  await moveEvidence(trx, duplicate.id, into.id);
  await addEvidence(trx, into.id, [{ kind: 'case', ref: duplicate.id }], now);
  const keys = await moveIncidentKeys(trx, duplicate.id, into.id, now);
  await repointMerged(trx, duplicate.id, into.id);

  const priority = morePressing(into.priority, duplicate.priority);
  const raised = priority !== into.priority;
  const survivor = await updateCase(
    trx,
    into.id,
    {
      occurrence_count: into.occurrenceCount + duplicate.occurrenceCount,
      priority,
      ...(raised ? await slaColumns(trx, context, into, { priority }) : {}),
    },
    now,
  );
  if (raised) {
    await appendTimeline(
      trx,
      into.id,
      [{ actor: by, kind: 'priority_changed', oldValue: into.priority, newValue: priority }],
      now,
    );
  }
  const merged = await updateCase(
    trx,
    duplicate.id,
    { status: 'closed', closed_at: now, merged_into: into.id, merged_at: now },
    now,
  );
  await appendTimeline(
    trx,
    duplicate.id,
    [
      {
        actor: by,
        kind: 'merged',
        body: request.reason,
        oldValue: { status: duplicate.status },
        newValue: { status: 'closed', mergedInto: into.number },
        data: { mergedInto: { caseId: into.id, caseNumber: into.number }, incidentKeys: keys },
      },
    ],
    now,
  );
  await publishCaseEvent(trx, 'case.updated', merged, {
    changes: [
      { field: 'status', from: duplicate.status, to: 'closed' },
      { field: 'mergedInto', from: null, to: into.id },
    ],
  });
  await publishCaseEvent(trx, 'case.updated', survivor, {
    changes: [
      { field: 'mergedFrom', from: null, to: duplicate.id },
      { field: 'occurrenceCount', from: into.occurrenceCount, to: survivor.occurrenceCount },
      ...(raised ? [{ field: 'priority', from: into.priority, to: priority }] : []),
    ],
  });
  return { merged, survivor };
}
