import { randomUUID } from 'node:crypto';
import type { Database } from '@wallet-guard/db';
import { sql, type Transaction } from 'kysely';
import { type Actor, actorLabel, SYSTEM } from './actor';
import { assignNextAgent } from './assignment';
import type { CaseContext } from './case-context';
import { publishCaseEvent } from './case-events';
import type { CaseRecord } from './case-record';
import { checkTransition, type IncidentKind, morePressing } from './case-rules';
import {
  addEvidence,
  appendTimeline,
  claimIncidentKey,
  closeIncidentKeys,
  type Evidence,
  findOpenCaseByKeys,
  insertCase,
  lockCase,
  updateCase,
} from './cases-repo';
import { survivingCaseId } from './merge-store';
import { openingDeadlines, slaColumns } from './sla-clock';

export interface IncidentInput {
  kind: IncidentKind;
  accountId: string;
  /** Keys of other open cases this incident should join rather than open its own. */
  joinKeys?: readonly string[];
  /**
   * A case this incident belongs to (a freeze asked from a case): it joins that case's open keys,
   * or those of the case it was merged into, read under the account's lock so a merge committing
   * meanwhile cannot send the incident past the survivor. Ignored when the case is another account's.
   */
  joinCaseId?: string;
  actor: Actor;
  /** One sentence for the timeline ("Locked after 5 failures from 198.51.100.23"). */
  detail: string;
  evidence: readonly Evidence[];
  locale?: string | null;
  /** Public note from the customer, shown to them later. */
  customerMessage?: string;
  data?: Record<string, unknown>;
}

/**
 * Opens the case for an incident, or, when an open case already holds its key (or one of the
 * keys it may join), adds the occurrence to that case: one more occurrence, the evidence, a
 * timeline entry, and a higher priority if this incident is more pressing. Exactly one open
 * case per key, enforced by the database, however many consumers race.
 */
export async function recordIncident(
  trx: Transaction<Database>,
  context: CaseContext,
  input: IncidentInput,
): Promise<{ case: CaseRecord; opened: boolean }> {
  const now = context.clock();
  // One account's incidents arrive on several topics, each applied by its own consumer: without
  // this lock a lockout and a theft applied at the same moment each see no open case and open
  // one each (their keys differ, so the key index cannot stop it). Held until commit.
  // A merge takes the same lock (merge-store.ts), so keys it moves are found where they went.
  await sql`select pg_advisory_xact_lock(hashtextextended(${`incident:${input.accountId}`}, 0))`.execute(trx);
  const caseKeys = input.joinCaseId ? await openKeysOfSurvivor(trx, input.joinCaseId, input.accountId) : [];
  for (let attempt = 0; attempt < 5; attempt++) {
    // Only a case of this account: a join key naming another account's case (a case id from an
    // event) must not carry this account's incident there.
    const existingId = await findOpenCaseByKeys(
      trx,
      [...caseKeys, input.kind.key, ...(input.joinKeys ?? [])],
      input.accountId,
    );
    if (existingId) {
      const joined = await addOccurrence(trx, context, now, existingId, input);
      if (joined) return { case: joined, opened: false };
      continue;
    }
    const id = randomUUID();
    if (!(await claimIncidentKey(trx, input.kind.key, id, now))) continue; // another consumer just opened it
    return { case: await openCase(trx, context, now, id, input), opened: true };
  }
  throw new Error(`could not settle the case for incident ${input.kind.key}`);
}

/** The open incident keys of a case of this account, or of the case it was merged into. */
async function openKeysOfSurvivor(trx: Transaction<Database>, caseId: string, accountId: string): Promise<string[]> {
  const survivor = await survivingCaseId(trx, caseId);
  if (!survivor) return [];
  const rows = await trx
    .selectFrom('case_incident_keys')
    .innerJoin('cases', 'cases.id', 'case_incident_keys.case_id')
    .select('case_incident_keys.incident_key')
    .where('case_incident_keys.case_id', '=', survivor)
    .where('cases.account_id', '=', accountId)
    .where('case_incident_keys.open', '=', true)
    .execute();
  return rows.map((k) => k.incident_key);
}

async function openCase(
  trx: Transaction<Database>,
  context: CaseContext,
  openedAt: Date,
  id: string,
  input: IncidentInput,
): Promise<CaseRecord> {
  const due = await openingDeadlines(trx, context, openedAt, input.kind.priority);
  let created = await insertCase(trx, {
    id,
    type: input.kind.type,
    priority: input.kind.priority,
    status: 'new',
    accountId: input.accountId,
    summary: input.kind.summary,
    locale: input.locale ?? null,
    openedAt,
    ...due,
  });
  await appendTimeline(
    trx,
    id,
    [
      {
        actor: actorLabel(input.actor),
        kind: 'opened',
        body: input.detail,
        newValue: { priority: created.priority },
        data: input.data ?? {},
      },
      ...(input.customerMessage
        ? [{ actor: actorLabel(input.actor), kind: 'note', visibility: 'public' as const, body: input.customerMessage }]
        : []),
    ],
    openedAt,
  );
  await addEvidence(trx, id, input.evidence, openedAt);
  await publishCaseEvent(trx, 'case.opened', created, {});
  if (context.assignment.auto) {
    created = (await assignNextAgent(trx, created, context.assignment, openedAt)) ?? created;
  }
  return created;
}

/** Null when the case closed or dropped the key meanwhile (the caller looks again). */
async function addOccurrence(
  trx: Transaction<Database>,
  context: CaseContext,
  now: Date,
  caseId: string,
  input: IncidentInput,
): Promise<CaseRecord | null> {
  const current = await lockCase(trx, caseId);
  if (!current || current.status === 'resolved' || current.status === 'closed') return null;
  const joining = (await findOpenCaseByKeys(trx, [input.kind.key])) !== caseId;
  if (joining && !(await claimIncidentKey(trx, input.kind.key, caseId, now))) return null;

  const priority = morePressing(current.priority, input.kind.priority);
  const raised = priority !== current.priority;
  const updated = await updateCase(
    trx,
    caseId,
    {
      occurrence_count: current.occurrenceCount + 1,
      priority,
      // From the opening, the new priority's policy and the time already spent waiting on the
      // customer (a pause still running is credited when it ends).
      ...(raised ? await slaColumns(trx, context, current, { priority }) : {}),
    },
    now,
  );
  await appendTimeline(
    trx,
    caseId,
    [
      {
        actor: actorLabel(input.actor),
        kind: joining ? 'linked' : 'occurrence',
        body: input.detail,
        oldValue: { occurrences: current.occurrenceCount },
        newValue: { occurrences: updated.occurrenceCount, incident: input.kind.key },
        data: { incidentType: input.kind.type, ...(input.data ?? {}) },
      },
      ...(raised
        ? [{ actor: actorLabel(SYSTEM), kind: 'priority_changed', oldValue: current.priority, newValue: priority }]
        : []),
      ...(input.customerMessage
        ? [{ actor: actorLabel(input.actor), kind: 'note', visibility: 'public' as const, body: input.customerMessage }]
        : []),
    ],
    now,
  );
  await addEvidence(trx, caseId, input.evidence, now);
  await publishCaseEvent(trx, 'case.updated', updated, {
    changes: [
      { field: 'occurrenceCount', from: current.occurrenceCount, to: updated.occurrenceCount },
      ...(raised ? [{ field: 'priority', from: current.priority, to: priority }] : []),
    ],
  });
  return updated;
}

/**
 * The user unlocked their own account (unlock link or password reset): an open lockout case
 * nobody has claimed is no longer needed. A case that also holds another incident (a theft
 * joined it) stays open for an agent.
 */
export async function resolveSelfUnlocked(
  trx: Transaction<Database>,
  context: CaseContext,
  accountId: string,
  detail: string,
): Promise<CaseRecord | undefined> {
  const caseId = await findOpenCaseByKeys(trx, [`lockout:${accountId}`]);
  if (!caseId) return undefined;
  const current = await lockCase(trx, caseId);
  if (!current || current.assignee !== null) return undefined;
  // The same state machine as the agents' routes decides (not an error here: the event is applied).
  if (!checkTransition(current.status, 'resolved', 'system', 'self_unlock').ok) return undefined;
  const keys = await trx
    .selectFrom('case_incident_keys')
    .select('incident_key')
    .where('case_id', '=', caseId)
    .where('open', '=', true)
    .execute();
  if (keys.some((k) => k.incident_key !== `lockout:${accountId}`)) return undefined;

  const now = context.clock();
  const resolved = await updateCase(
    trx,
    caseId,
    { status: 'resolved', outcome: 'self_unlocked', resolved_at: now },
    now,
  );
  await closeIncidentKeys(trx, caseId);
  await appendTimeline(
    trx,
    caseId,
    [
      {
        actor: 'system',
        kind: 'resolved',
        body: detail,
        oldValue: { status: current.status },
        newValue: { status: 'resolved', outcome: 'self_unlocked' },
      },
    ],
    now,
  );
  await publishCaseEvent(trx, 'case.resolved', resolved, { outcome: 'self_unlocked' });
  return resolved;
}
