// The steps of an account action on the case's side: asked (before the other service is called),
// then done or failed. The workflow around them is `account-actions/account-actions.ts`.
import type { Database } from '@wallet-guard/db';
import type { Transaction } from 'kysely';
import { caseErrors } from '../errors';
import { type AgentActor, actorLabel } from './actor';
import type { CaseContext } from './case-context';
import type { CaseRecord } from './case-record';
import { isOpenStatus } from './case-rules';
import { assertNotHeldByAnother, lockOrThrow, recordChanges, takeForAgent } from './case-taking';
import { addEvidence, appendTimeline, type Evidence } from './cases-repo';

/** An action on the account asked of another service (auth, the monitor) from a case. */
export interface AccountAction {
  /** The timeline kind once done: account_unlocked, account_frozen, transaction_labelled... */
  kind: string;
  /** The service asked to perform it ("auth", "transaction-monitor"). */
  service: string;
  /** One sentence for the timeline. */
  body: string;
  /** What the agent relied on (the identity check) and what was asked (the flag and label). */
  data: Record<string, unknown>;
}

/**
 * Step one of an account action, committed before the other service is called: the agent may act
 * on this case (open, not held by another agent; an unclaimed case becomes theirs, which counts as
 * the first response), and the timeline records what is about to be done, by whom and on what
 * evidence (`action_requested`). From then on a concurrent claim by another agent fails with
 * CASE_ALREADY_CLAIMED, and whatever happens next the request is on the record. Throws (404,
 * CASE_CLOSED, CASE_ALREADY_CLAIMED) before anything is asked of the other service.
 * Returns the request's timeline id: its outcome names it (`data.requestId`), and a request no
 * outcome names is settled by `settleUnansweredActions`.
 */
export async function beginAccountAction(
  trx: Transaction<Database>,
  context: CaseContext,
  caseId: string,
  agent: AgentActor,
  action: AccountAction,
): Promise<{ case: CaseRecord; requestId: string }> {
  const now = context.clock();
  const { current, entries, changes } = await takeForAgent(trx, caseId, agent, now);
  await recordChanges(trx, current, entries, changes, now);
  const [requestId] = await appendTimeline(
    trx,
    caseId,
    [
      {
        actor: actorLabel(agent),
        kind: 'action_requested',
        body: action.body,
        data: { action: action.kind, service: action.service, ...action.data },
      },
    ],
    now,
  );
  if (!requestId) throw new Error('the action request was not recorded');
  return { case: current, requestId };
}

/**
 * Step two, once the other service confirmed the action: records it on the case (with its
 * evidence) whatever happened to the case meanwhile (a supervisor took it over, it was resolved).
 * The action happened, so the case says so and who did it; this never refuses for a claim or a
 * status. Only a missing case throws.
 */
export async function completeAccountAction(
  trx: Transaction<Database>,
  context: CaseContext,
  caseId: string,
  agent: AgentActor,
  action: AccountAction,
  requestId: string,
  evidence: readonly Evidence[] = [],
): Promise<CaseRecord> {
  const now = context.clock();
  const c = await lockOrThrow(trx, caseId);
  await appendTimeline(
    trx,
    caseId,
    [{ actor: actorLabel(agent), kind: action.kind, body: action.body, data: { ...action.data, requestId } }],
    now,
  );
  await addEvidence(trx, caseId, evidence, now);
  return c;
}

/**
 * Step two when the other service refused the action (`refused`: nothing happened) or did not
 * answer (`unknown`: it may have happened; the agent checks before trying again). Recorded as
 * `action_failed` like `completeAccountAction`, whatever the case's state.
 */
export async function failAccountAction(
  trx: Transaction<Database>,
  context: CaseContext,
  caseId: string,
  agent: AgentActor,
  action: AccountAction,
  requestId: string,
  failure: { outcome: 'refused' | 'unknown'; code?: string | undefined },
): Promise<void> {
  await lockOrThrow(trx, caseId);
  const what = failure.outcome === 'refused' ? 'refused' : 'did not answer; it may or may not have been done';
  await appendTimeline(
    trx,
    caseId,
    [
      {
        actor: actorLabel(agent),
        kind: 'action_failed',
        body: `${action.kind.replaceAll('_', ' ')}: ${action.service} ${what}${failure.code ? ` (${failure.code})` : ''}`,
        data: { action: action.kind, ...action.data, service: action.service, ...failure, requestId },
      },
    ],
    context.clock(),
  );
}

/** Before calling another service: the agent may act on this case (same rules, no changes yet). */
export async function assertCanAct(trx: Transaction<Database>, caseId: string, agent: AgentActor): Promise<CaseRecord> {
  const c = await lockOrThrow(trx, caseId);
  if (!isOpenStatus(c.status)) throw caseErrors.caseClosed(c.status);
  assertNotHeldByAnother(c, agent);
  return c;
}
