import type { Database } from '@wallet-guard/db';
import { AppError } from '@wallet-guard/http';
import type { Transaction } from 'kysely';
import { type Actor, type AgentActor, actorLabel } from './actor';
import { publishCaseEvent } from './case-events';
import type { CaseRecord } from './case-record';
import { type CaseOutcome, type CaseStatus, canChangeStatus, isOpenStatus, resumeAfterPause } from './case-rules';
import {
  appendTimeline,
  closeIncidentKeys,
  lockCase,
  reopenIncidentKeys,
  type TimelineEntry,
  updateCase,
} from './cases-repo';

export const caseNotFound = () => new AppError(404, 'CASE_NOT_FOUND', 'No case with this id');

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
): Promise<CaseRecord> {
  const taken = await takeForAgent(trx, caseId, agent, { allowClosed: status === 'closed' });
  const { entries, changes } = taken;
  let current = taken.current;
  if (current.status === status) return finish(trx, current, entries, changes);
  if (!canChangeStatus(current.status, status)) {
    throw new AppError(409, 'CASE_INVALID_TRANSITION', `A ${current.status} case cannot become ${status}`, {
      from: current.status,
      to: status,
    });
  }
  const now = new Date();
  const patch: Parameters<typeof updateCase>[2] = { status };
  if (status === 'pending_customer') patch.sla_paused_at = now;
  if (current.status === 'pending_customer' && current.slaPausedAt) {
    const due = resumeAfterPause(current, current.slaPausedAt, now, current.firstRespondedAt !== null);
    patch.sla_paused_at = null;
    patch.first_response_due_at = due.firstResponseDueAt;
    patch.resolution_due_at = due.resolutionDueAt;
  }
  if (current.status === 'escalated') patch.queue = 'agents';
  if (status === 'closed') patch.closed_at = now;
  const from = current.status;
  current = await updateCase(trx, caseId, patch);
  entries.push({ actor: actorLabel(agent), kind: 'status_changed', oldValue: from, newValue: status });
  changes.push({ field: 'status', from, to: status });
  return finish(trx, current, entries, changes);
}

/** Sends the case to the supervisors' queue with the reason. */
export async function escalateCase(trx: Transaction<Database>, caseId: string, agent: AgentActor, reason: string) {
  const taken = await takeForAgent(trx, caseId, agent);
  const { entries, changes } = taken;
  if (taken.current.status === 'escalated')
    throw new AppError(409, 'CASE_INVALID_TRANSITION', 'The case is already escalated');
  const from = taken.current.status;
  const current = await updateCase(trx, caseId, { status: 'escalated', queue: 'supervisors', sla_paused_at: null });
  entries.push({ actor: actorLabel(agent), kind: 'escalated', oldValue: from, newValue: 'escalated', body: reason });
  changes.push({ field: 'status', from, to: 'escalated' }, { field: 'queue', from: 'agents', to: 'supervisors' });
  return finish(trx, current, entries, changes);
}

export async function resolveCase(
  trx: Transaction<Database>,
  caseId: string,
  actor: Actor,
  resolution: { outcome: CaseOutcome; note: string },
): Promise<CaseRecord> {
  const taken =
    actor.kind === 'agent'
      ? await takeForAgent(trx, caseId, actor)
      : { current: await lockOrThrow(trx, caseId), entries: [] as TimelineEntry[], changes: [] as Change[] };
  const { entries, changes } = taken;
  if (!isOpenStatus(taken.current.status))
    throw new AppError(409, 'CASE_CLOSED', `The case is already ${taken.current.status}`);
  const from = taken.current.status;
  const current = await updateCase(trx, caseId, {
    status: 'resolved',
    outcome: resolution.outcome,
    resolved_at: new Date(),
    sla_paused_at: null,
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
  if (isOpenStatus(before.status)) throw new AppError(409, 'CASE_INVALID_TRANSITION', 'The case is open already');
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

/**
 * Records an action taken on the account from the case (unlock, freeze, label...), with what the
 * agent checked; the action itself happened in another service just before.
 */
export async function recordAccountAction(
  trx: Transaction<Database>,
  caseId: string,
  agent: AgentActor,
  action: { kind: string; body: string; data: Record<string, unknown> },
): Promise<CaseRecord> {
  const { current, entries, changes } = await takeForAgent(trx, caseId, agent);
  entries.push({ actor: actorLabel(agent), kind: action.kind, body: action.body, data: action.data });
  return finish(trx, current, entries, changes);
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
