import type { Database } from '@wallet-guard/db';
import type { Transaction } from 'kysely';
import { caseErrors } from '../errors';
import { askForRating } from '../satisfaction/ask-for-rating';
import { type Actor, type AgentActor, actorLabel } from './actor';
import type { CaseContext } from './case-context';
import { publishCaseEvent } from './case-events';
import type { CaseRecord } from './case-record';
import { type CaseOutcome, type CaseStatus, isOpenStatus } from './case-rules';
import {
  assertNotHeldByAnother,
  assertTransition,
  type Change,
  lockOrThrow,
  recordChanges,
  takeForAgent,
} from './case-taking';
import { appendTimeline, closeIncidentKeys, reopenIncidentKeys, type TimelineEntry, updateCase } from './cases-repo';
import { slaColumns } from './sla-clock';

/** POST /claim: 409 CASE_ALREADY_CLAIMED when another agent holds it, unless a supervisor takes over. */
export async function claimCase(
  trx: Transaction<Database>,
  context: CaseContext,
  caseId: string,
  agent: AgentActor,
): Promise<CaseRecord> {
  const now = context.clock();
  const { current, entries, changes } = await takeForAgent(trx, caseId, agent, now);
  return recordChanges(trx, current, entries, changes, now);
}

export async function addNote(
  trx: Transaction<Database>,
  context: CaseContext,
  caseId: string,
  agent: AgentActor,
  note: { body: string; visibility: 'internal' | 'public' },
): Promise<CaseRecord> {
  const now = context.clock();
  const { current, entries, changes } = await takeForAgent(trx, caseId, agent, now);
  entries.push({ actor: actorLabel(agent), kind: 'note', visibility: note.visibility, body: note.body });
  await recordChanges(trx, current, entries, changes, now);
  if (note.visibility === 'public') await publishCaseEvent(trx, 'case.public_note_added', current, { body: note.body });
  return current;
}

/** POST /status: only the moves in the transition table; pending_customer stops the SLA clocks. */
export async function changeStatus(
  trx: Transaction<Database>,
  context: CaseContext,
  caseId: string,
  agent: AgentActor,
  status: CaseStatus,
): Promise<CaseRecord> {
  const now = context.clock();
  const taken = await takeForAgent(trx, caseId, agent, now, { allowClosed: status === 'closed' });
  const { entries, changes } = taken;
  let current = taken.current;
  if (current.status === status) return recordChanges(trx, current, entries, changes, now);
  assertTransition(current.status, status, agent, 'status');
  const patch: Parameters<typeof updateCase>[2] = { status };
  if (current.status === 'pending_customer') {
    Object.assign(patch, await slaColumns(trx, context, current, { resumeAt: now }));
  }
  if (status === 'pending_customer') patch.sla_paused_at = now;
  if (current.status === 'escalated') patch.queue = 'agents';
  if (status === 'closed') patch.closed_at = now;
  const from = current.status;
  current = await updateCase(trx, caseId, patch, now);
  entries.push({ actor: actorLabel(agent), kind: 'status_changed', oldValue: from, newValue: status });
  changes.push({ field: 'status', from, to: status });
  return recordChanges(trx, current, entries, changes, now);
}

/** Sends the case to the supervisors' queue with the reason (a pause ends: its time is credited). */
export async function escalateCase(
  trx: Transaction<Database>,
  context: CaseContext,
  caseId: string,
  agent: AgentActor,
  reason: string,
): Promise<CaseRecord> {
  const now = context.clock();
  const taken = await takeForAgent(trx, caseId, agent, now);
  const { entries, changes } = taken;
  assertTransition(taken.current.status, 'escalated', agent, 'escalate');
  const from = taken.current.status;
  const current = await updateCase(
    trx,
    caseId,
    {
      status: 'escalated',
      queue: 'supervisors',
      ...(taken.current.slaPausedAt ? await slaColumns(trx, context, taken.current, { resumeAt: now }) : {}),
    },
    now,
  );
  entries.push({ actor: actorLabel(agent), kind: 'escalated', oldValue: from, newValue: 'escalated', body: reason });
  changes.push({ field: 'status', from, to: 'escalated' }, { field: 'queue', from: 'agents', to: 'supervisors' });
  return recordChanges(trx, current, entries, changes, now);
}

export async function resolveCase(
  trx: Transaction<Database>,
  context: CaseContext,
  caseId: string,
  actor: Actor,
  resolution: { outcome: CaseOutcome; note: string },
): Promise<CaseRecord> {
  const now = context.clock();
  const taken =
    actor.kind === 'agent'
      ? await takeForAgent(trx, caseId, actor, now)
      : { current: await lockOrThrow(trx, caseId), entries: [] as TimelineEntry[], changes: [] as Change[] };
  const { entries, changes } = taken;
  if (!isOpenStatus(taken.current.status)) throw caseErrors.caseClosed(taken.current.status, false);
  assertTransition(taken.current.status, 'resolved', actor, 'resolve');
  const from = taken.current.status;
  const current = await updateCase(
    trx,
    caseId,
    {
      status: 'resolved',
      outcome: resolution.outcome,
      resolved_at: now,
      // A pause ends here too: its time stays credited should the case be reopened.
      ...(taken.current.slaPausedAt ? await slaColumns(trx, context, taken.current, { resumeAt: now }) : {}),
    },
    now,
  );
  await closeIncidentKeys(trx, caseId);
  entries.push({
    actor: actorLabel(actor),
    kind: 'resolved',
    oldValue: { status: from },
    newValue: { status: 'resolved', outcome: resolution.outcome },
    body: resolution.note,
  });
  await appendTimeline(trx, caseId, entries, now);
  if (changes.length > 0) await publishCaseEvent(trx, 'case.updated', current, { changes });
  // A customer-facing case asks its customer for a rating; the event says until when (for the e-mail).
  const ratingUntil = await askForRating(trx, context, current, actor, now);
  await publishCaseEvent(trx, 'case.resolved', current, {
    outcome: resolution.outcome,
    ...(ratingUntil ? { satisfaction: { expiresAt: ratingUntil.toISOString() } } : {}),
  });
  return current;
}

export async function reopenCase(
  trx: Transaction<Database>,
  context: CaseContext,
  caseId: string,
  agent: AgentActor,
  reason: string,
): Promise<CaseRecord> {
  const now = context.clock();
  const before = await lockOrThrow(trx, caseId);
  // Its timeline, evidence and keys went to the survivor: reopening it would split the incident again.
  if (before.mergedInto) throw caseErrors.caseMerged(before.mergedInto);
  assertTransition(before.status, 'open', agent, 'reopen');
  assertNotHeldByAnother(before, agent);
  const current = await updateCase(
    trx,
    caseId,
    {
      status: 'open',
      outcome: null,
      resolved_at: null,
      closed_at: null,
      assignee: agent.name,
      // Back to work: whoever resolved it (a supervisor too), it is an agent's case again.
      queue: 'agents',
    },
    now,
  );
  await reopenIncidentKeys(trx, caseId);
  await appendTimeline(
    trx,
    caseId,
    [
      {
        actor: actorLabel(agent),
        kind: 'reopened',
        oldValue: { status: before.status, outcome: before.outcome },
        newValue: { status: 'open' },
        body: reason,
      },
    ],
    now,
  );
  await publishCaseEvent(trx, 'case.reopened', current, {});
  return current;
}
