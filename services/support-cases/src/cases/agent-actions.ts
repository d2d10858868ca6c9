import type { Database } from '@wallet-guard/db';
import { AppError } from '@wallet-guard/http';
import type { Transaction } from 'kysely';
import { type Actor, type AgentActor, actorLabel } from './actor';
import { publishCaseEvent } from './case-events';
import type { CaseRecord } from './case-record';
import {
  type CaseOutcome,
  type CaseStatus,
  checkTransition,
  isOpenStatus,
  type SlaPolicy,
  type TransitionVia,
} from './case-rules';
import {
  addEvidence,
  appendTimeline,
  closeIncidentKeys,
  type Evidence,
  lockCase,
  reopenIncidentKeys,
  type TimelineEntry,
  updateCase,
} from './cases-repo';
import { slaColumns } from './sla-clock';

export const caseNotFound = () => new AppError(404, 'CASE_NOT_FOUND', 'No case with this id');

/**
 * Every status change goes through the one state machine (`checkTransition`): a move that does
 * not exist is 409 CASE_INVALID_TRANSITION; one that needs another role (an escalated case is the
 * supervisors') is 403 CASE_FORBIDDEN, with the roles that may make it.
 */
export function assertTransition(from: CaseStatus, to: CaseStatus, actor: Actor, via: TransitionVia): void {
  const check = checkTransition(from, to, actor.kind === 'agent' ? actor.role : actor.kind, via);
  if (check.ok) return;
  if (check.reason === 'forbidden') {
    throw new AppError(403, 'CASE_FORBIDDEN', `Only a ${check.roles.join(' or ')} may move a ${from} case to ${to}`, {
      from,
      to,
      roles: [...check.roles],
    });
  }
  throw new AppError(409, 'CASE_INVALID_TRANSITION', `A ${from} case cannot become ${to}`, { from, to });
}

async function lockOrThrow(trx: Transaction<Database>, caseId: string): Promise<CaseRecord> {
  const c = await lockCase(trx, caseId);
  if (!c) throw caseNotFound();
  return c;
}

/**
 * The common start of every agent action: the case must exist and not be held by another
 * agent (a supervisor may act on any case). An unclaimed case is claimed by the agent acting on
 * it, and the first agent action counts as the first response.
 */
async function takeForAgent(
  trx: Transaction<Database>,
  caseId: string,
  agent: AgentActor,
  options: { allowClosed?: boolean } = {},
): Promise<{ before: CaseRecord; current: CaseRecord; entries: TimelineEntry[]; changes: Change[] }> {
  const before = await lockOrThrow(trx, caseId);
  if (!options.allowClosed && !isOpenStatus(before.status)) {
    throw new AppError(409, 'CASE_CLOSED', `The case is ${before.status}; reopen it first`);
  }
  if (before.assignee && before.assignee !== agent.name && agent.role !== 'supervisor') {
    throw new AppError(409, 'CASE_ALREADY_CLAIMED', `The case is held by ${before.assignee}`, {
      assignee: before.assignee,
    });
  }
  const entries: TimelineEntry[] = [];
  const changes: Change[] = [];
  const patch: Parameters<typeof updateCase>[2] = {};
  if (isOpenStatus(before.status) && before.assignee !== agent.name) {
    patch.assignee = agent.name;
    entries.push({ actor: actorLabel(agent), kind: 'assigned', oldValue: before.assignee, newValue: agent.name });
    changes.push({ field: 'assignee', from: before.assignee, to: agent.name });
  }
  if (!before.firstRespondedAt && isOpenStatus(before.status)) patch.first_responded_at = new Date();
  if (before.status === 'new') {
    assertTransition('new', 'open', agent, 'take');
    patch.status = 'open';
    entries.push({ actor: actorLabel(agent), kind: 'status_changed', oldValue: 'new', newValue: 'open' });
    changes.push({ field: 'status', from: 'new', to: 'open' });
  }
  const current = Object.keys(patch).length > 0 ? await updateCase(trx, caseId, patch) : before;
  return { before, current, entries, changes };
}

interface Change {
  field: string;
  from: unknown;
  to: unknown;
}

async function finish(trx: Transaction<Database>, c: CaseRecord, entries: TimelineEntry[], changes: Change[]) {
  await appendTimeline(trx, c.id, entries);
  if (changes.length > 0) await publishCaseEvent(trx, 'case.updated', c, { changes });
  return c;
}

/** POST /claim: 409 CASE_ALREADY_CLAIMED when another agent holds it, unless a supervisor takes over. */
export async function claimCase(trx: Transaction<Database>, caseId: string, agent: AgentActor): Promise<CaseRecord> {
  const { current, entries, changes } = await takeForAgent(trx, caseId, agent);
  return finish(trx, current, entries, changes);
}

export async function addNote(
  trx: Transaction<Database>,
  caseId: string,
  agent: AgentActor,
  note: { body: string; visibility: 'internal' | 'public' },
): Promise<CaseRecord> {
  const { current, entries, changes } = await takeForAgent(trx, caseId, agent);
  entries.push({ actor: actorLabel(agent), kind: 'note', visibility: note.visibility, body: note.body });
  await finish(trx, current, entries, changes);
  if (note.visibility === 'public') await publishCaseEvent(trx, 'case.public_note_added', current, { body: note.body });
  return current;
}

/** POST /status: only the moves in the transition table; pending_customer stops the SLA clocks. */
export async function changeStatus(
  trx: Transaction<Database>,
  caseId: string,
  agent: AgentActor,
  status: CaseStatus,
  sla: SlaPolicy,
): Promise<CaseRecord> {
  const taken = await takeForAgent(trx, caseId, agent, { allowClosed: status === 'closed' });
  const { entries, changes } = taken;
  let current = taken.current;
  if (current.status === status) return finish(trx, current, entries, changes);
  assertTransition(current.status, status, agent, 'status');
  const now = new Date();
  const patch: Parameters<typeof updateCase>[2] = { status };
  if (current.status === 'pending_customer') Object.assign(patch, slaColumns(current, sla, { resumeAt: now }));
  if (status === 'pending_customer') patch.sla_paused_at = now;
  if (current.status === 'escalated') patch.queue = 'agents';
  if (status === 'closed') patch.closed_at = now;
  const from = current.status;
  current = await updateCase(trx, caseId, patch);
  entries.push({ actor: actorLabel(agent), kind: 'status_changed', oldValue: from, newValue: status });
  changes.push({ field: 'status', from, to: status });
  return finish(trx, current, entries, changes);
}

/** Sends the case to the supervisors' queue with the reason (a pause ends: its time is credited). */
export async function escalateCase(
  trx: Transaction<Database>,
  caseId: string,
  agent: AgentActor,
  reason: string,
  sla: SlaPolicy,
) {
  const taken = await takeForAgent(trx, caseId, agent);
  const { entries, changes } = taken;
  assertTransition(taken.current.status, 'escalated', agent, 'escalate');
  const from = taken.current.status;
  const current = await updateCase(trx, caseId, {
    status: 'escalated',
    queue: 'supervisors',
    ...(taken.current.slaPausedAt ? slaColumns(taken.current, sla, { resumeAt: new Date() }) : {}),
  });
  entries.push({ actor: actorLabel(agent), kind: 'escalated', oldValue: from, newValue: 'escalated', body: reason });
  changes.push({ field: 'status', from, to: 'escalated' }, { field: 'queue', from: 'agents', to: 'supervisors' });
  return finish(trx, current, entries, changes);
}

export async function resolveCase(
  trx: Transaction<Database>,
  caseId: string,
  actor: Actor,
  resolution: { outcome: CaseOutcome; note: string },
  sla: SlaPolicy,
): Promise<CaseRecord> {
  const taken =
    actor.kind === 'agent'
      ? await takeForAgent(trx, caseId, actor)
      : { current: await lockOrThrow(trx, caseId), entries: [] as TimelineEntry[], changes: [] as Change[] };
  const { entries, changes } = taken;
  if (!isOpenStatus(taken.current.status))
    throw new AppError(409, 'CASE_CLOSED', `The case is already ${taken.current.status}`);
  assertTransition(taken.current.status, 'resolved', actor, 'resolve');
  const from = taken.current.status;
  const now = new Date();
  const current = await updateCase(trx, caseId, {
    status: 'resolved',
    outcome: resolution.outcome,
    resolved_at: now,
    // A pause ends here too: its time stays credited should the case be reopened.
    ...(taken.current.slaPausedAt ? slaColumns(taken.current, sla, { resumeAt: now }) : {}),
  });
  await closeIncidentKeys(trx, caseId);
  entries.push({
    actor: actorLabel(actor),
    kind: 'resolved',
    oldValue: { status: from },
    newValue: { status: 'resolved', outcome: resolution.outcome },
    body: resolution.note,
  });
  await appendTimeline(trx, caseId, entries);
  if (changes.length > 0) await publishCaseEvent(trx, 'case.updated', current, { changes });
  await publishCaseEvent(trx, 'case.resolved', current, { outcome: resolution.outcome });
  return current;
}

export async function reopenCase(trx: Transaction<Database>, caseId: string, agent: AgentActor, reason: string) {
  const before = await lockOrThrow(trx, caseId);
  assertTransition(before.status, 'open', agent, 'reopen');
  if (before.assignee && before.assignee !== agent.name && agent.role !== 'supervisor') {
    throw new AppError(409, 'CASE_ALREADY_CLAIMED', `The case is held by ${before.assignee}`, {
      assignee: before.assignee,
    });
  }
  const current = await updateCase(trx, caseId, {
    status: 'open',
    outcome: null,
    resolved_at: null,
    closed_at: null,
    assignee: agent.name,
    // Back to work: whoever resolved it (a supervisor too), it is an agent's case again.
    queue: 'agents',
  });
  await reopenIncidentKeys(trx, caseId);
  await appendTimeline(trx, caseId, [
    {
      actor: actorLabel(agent),
      kind: 'reopened',
      oldValue: { status: before.status, outcome: before.outcome },
      newValue: { status: 'open' },
      body: reason,
    },
  ]);
  await publishCaseEvent(trx, 'case.reopened', current, {});
  return current;
}

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
  caseId: string,
  agent: AgentActor,
  action: AccountAction,
): Promise<{ case: CaseRecord; requestId: string }> {
  const { current, entries, changes } = await takeForAgent(trx, caseId, agent);
  await finish(trx, current, entries, changes);
  const [requestId] = await appendTimeline(trx, caseId, [
    {
      actor: actorLabel(agent),
      kind: 'action_requested',
      body: action.body,
      data: { action: action.kind, service: action.service, ...action.data },
    },
  ]);
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
  caseId: string,
  agent: AgentActor,
  action: AccountAction,
  requestId: string,
  evidence: readonly Evidence[] = [],
): Promise<CaseRecord> {
  const c = await lockOrThrow(trx, caseId);
  await appendTimeline(trx, caseId, [
    { actor: actorLabel(agent), kind: action.kind, body: action.body, data: { ...action.data, requestId } },
  ]);
  await addEvidence(trx, caseId, evidence);
  return c;
}

/**
 * Step two when the other service refused the action (`refused`: nothing happened) or did not
 * answer (`unknown`: it may have happened; the agent checks before trying again). Recorded as
 * `action_failed` like `completeAccountAction`, whatever the case's state.
 */
export async function failAccountAction(
  trx: Transaction<Database>,
  caseId: string,
  agent: AgentActor,
  action: AccountAction,
  requestId: string,
  failure: { outcome: 'refused' | 'unknown'; code?: string | undefined },
): Promise<void> {
  await lockOrThrow(trx, caseId);
  const what = failure.outcome === 'refused' ? 'refused' : 'did not answer; it may or may not have been done';
  await appendTimeline(trx, caseId, [
    {
      actor: actorLabel(agent),
      kind: 'action_failed',
      body: `${action.kind.replaceAll('_', ' ')}: ${action.service} ${what}${failure.code ? ` (${failure.code})` : ''}`,
      data: { action: action.kind, ...action.data, service: action.service, ...failure, requestId },
    },
  ]);
}

/** Before calling another service: the agent may act on this case (same rules, no changes yet). */
export async function assertCanAct(trx: Transaction<Database>, caseId: string, agent: AgentActor): Promise<CaseRecord> {
  const c = await lockOrThrow(trx, caseId);
  if (!isOpenStatus(c.status)) throw new AppError(409, 'CASE_CLOSED', `The case is ${c.status}; reopen it first`);
  if (c.assignee && c.assignee !== agent.name && agent.role !== 'supervisor') {
    throw new AppError(409, 'CASE_ALREADY_CLAIMED', `The case is held by ${c.assignee}`, { assignee: c.assignee });
  }
  return c;
}
