// What every agent action on a case starts and ends with: lock the case, check who holds it and
// whether the move is allowed, take it for the agent, record the change.
import type { Database } from '@wallet-guard/db';
import type { Transaction } from 'kysely';
import { caseErrors } from '../errors';
import { type Actor, type AgentActor, actorLabel } from './actor';
import { publishCaseEvent } from './case-events';
import type { CaseRecord } from './case-record';
import { type CaseStatus, checkTransition, isOpenStatus, type TransitionVia } from './case-rules';
import { appendTimeline, lockCase, type TimelineEntry, updateCase } from './cases-repo';

/**
 * Every status change goes through the one state machine (`checkTransition`): a move that does
 * not exist is 409 CASE_INVALID_TRANSITION; one that needs another role (an escalated case is the
 * supervisors') is 403 CASE_FORBIDDEN, with the roles that may make it.
 */
export function assertTransition(from: CaseStatus, to: CaseStatus, actor: Actor, via: TransitionVia): void {
  const check = checkTransition(from, to, actor.kind === 'agent' ? actor.role : actor.kind, via);
  if (check.ok) return;
  if (check.reason === 'forbidden') throw caseErrors.transitionForbidden(from, to, check.roles);
  throw caseErrors.invalidTransition(from, to);
}

/** Reads and locks the case until the transaction ends; 404 CASE_NOT_FOUND when there is none. */
export async function lockOrThrow(trx: Transaction<Database>, caseId: string): Promise<CaseRecord> {
  const c = await lockCase(trx, caseId);
  if (!c) throw caseErrors.caseNotFound();
  return c;
}

/** Another agent holds the case: 409 CASE_ALREADY_CLAIMED (a supervisor may act on any case). */
export function assertNotHeldByAnother(c: CaseRecord, agent: AgentActor): void {
  if (c.assignee && c.assignee !== agent.name && agent.role !== 'supervisor') {
    throw caseErrors.alreadyClaimed(c.assignee);
  }
}

/**
 * The common start of every agent action: the case must exist and not be held by another
 * agent (a supervisor may act on any case). An unclaimed case is claimed by the agent acting on
 * it, and the first agent action counts as the first response.
 */
export async function takeForAgent(
  trx: Transaction<Database>,
  caseId: string,
  agent: AgentActor,
  now: Date,
  options: { allowClosed?: boolean } = {},
): Promise<{ before: CaseRecord; current: CaseRecord; entries: TimelineEntry[]; changes: Change[] }> {
  const before = await lockOrThrow(trx, caseId);
  if (!options.allowClosed && !isOpenStatus(before.status)) throw caseErrors.caseClosed(before.status);
  assertNotHeldByAnother(before, agent);
  const entries: TimelineEntry[] = [];
  const changes: Change[] = [];
  const patch: Parameters<typeof updateCase>[2] = {};
  if (isOpenStatus(before.status) && before.assignee !== agent.name) {
    patch.assignee = agent.name;
    entries.push({ actor: actorLabel(agent), kind: 'assigned', oldValue: before.assignee, newValue: agent.name });
    changes.push({ field: 'assignee', from: before.assignee, to: agent.name });
  }
  if (!before.firstRespondedAt && isOpenStatus(before.status)) patch.first_responded_at = now;
  if (before.status === 'new') {
    assertTransition('new', 'open', agent, 'take');
    patch.status = 'open';
    entries.push({ actor: actorLabel(agent), kind: 'status_changed', oldValue: 'new', newValue: 'open' });
    changes.push({ field: 'status', from: 'new', to: 'open' });
  }
  const current = Object.keys(patch).length > 0 ? await updateCase(trx, caseId, patch, now) : before;
  return { before, current, entries, changes };
}

export interface Change {
  field: string;
  from: unknown;
  to: unknown;
}

/** Appends the entries of a change and announces its field changes (`case.updated`), if any. */
export async function recordChanges(
  trx: Transaction<Database>,
  c: CaseRecord,
  entries: TimelineEntry[],
  changes: Change[],
  now: Date,
): Promise<CaseRecord> {
  await appendTimeline(trx, c.id, entries, now);
  if (changes.length > 0) await publishCaseEvent(trx, 'case.updated', c, { changes });
  return c;
}
