import { randomUUID } from 'node:crypto';
import { type MuleDestinationDetected, TOPICS } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { EventHandler } from '@wallet-guard/messaging';
import { sql, type Transaction } from 'kysely';
import { actorLabel, SYSTEM } from '../cases/actor';
import { assignNextAgent } from '../cases/assignment';
import type { CaseContext } from '../cases/case-context';
import { incidentKinds } from '../cases/case-rules';
import {
  addEvidence,
  appendTimeline,
  claimIncidentKey,
  findOpenCaseByKeys,
  insertCase,
  lockCase,
  updateCase,
} from '../cases/cases-repo';
import { openingDeadlines } from '../cases/sla-clock';
import { lockedRevision, saveAccounts, saveIncident } from './network-cases-repo';

type Payload = MuleDestinationDetected['payload'];

const flagEvidence = (p: Payload) =>
  p.accounts.flatMap((a) => a.flagIds.map((ref) => ({ kind: 'flag' as const, ref })));

const incidentOf = (p: Payload) => ({
  incidentKey: p.incidentKey,
  destination: p.destination,
  revision: p.revision,
  incidentOpenedAt: new Date(p.incidentOpenedAt),
  window: p.window,
  received: p.received,
});

/**
 * risk.mule-destination.v1 -> ONE network case per destination (`mule_destination`, P1), listing
 * the accounts paying it with their flags and amounts. A later announcement (same incident key,
 * higher revision) updates that case in place: the accounts, one more occurrence, a timeline
 * entry naming how many accounts joined, their flags as evidence. An announcement at or below
 * the revision applied changes nothing (out of order or delivered again; the bus already drops
 * a repeated eventId). A resolved case released its key: the next announcement opens a new case.
 * No case event is published: the customers of the listed accounts are not told of this case.
 */
export function muleDestinationHandler(context: CaseContext): EventHandler<typeof TOPICS.muleDestinations> {
  return {
    group: 'support-cases.mule-destinations',
    topic: TOPICS.muleDestinations,
    async handle(trx, events) {
      for (const { event } of events) await applyAnnouncement(trx, context, event);
    },
  };
}

export async function applyAnnouncement(
  trx: Transaction<Database>,
  context: CaseContext,
  event: MuleDestinationDetected,
): Promise<{ caseId: string; opened: boolean; applied: boolean }> {
  const p = event.payload;
  const kind = incidentKinds.muleDestination(p.incidentKey);
  const now = context.clock();
  // Announcements of one destination are serial here whatever the consumers: without it, two
  // could both find no case and the loser would have to retry.
  await sql`select pg_advisory_xact_lock(hashtextextended(${`incident:${kind.key}`}, 0))`.execute(trx);
  const existingId = await findOpenCaseByKeys(trx, [kind.key]);
  if (existingId) {
    const current = await lockCase(trx, existingId);
    const revision = await lockedRevision(trx, existingId);
    if (!current || (revision !== null && revision >= p.revision)) {
      return { caseId: existingId, opened: false, applied: false };
    }
    const added = await saveAccounts(trx, existingId, p.accounts, now);
    await saveIncident(trx, existingId, incidentOf(p), now);
    const updated = await updateCase(trx, existingId, { occurrence_count: current.occurrenceCount + 1 }, now);
    await appendTimeline(
      trx,
      existingId,
      [
        {
          actor: actorLabel(SYSTEM),
          kind: 'occurrence',
          body: `${added.length} more account(s) paid ${p.incidentKey}: ${p.accounts.length} listed`,
          oldValue: { occurrences: current.occurrenceCount, revision },
          newValue: { occurrences: updated.occurrenceCount, revision: p.revision },
          data: { eventId: event.eventId, addedAccountIds: added },
        },
      ],
      now,
    );
    await addEvidence(trx, existingId, flagEvidence(p), now);
    return { caseId: existingId, opened: false, applied: true };
  }
  const id = randomUUID();
  // The advisory lock makes this claim uncontested among consumers of this topic.
  if (!(await claimIncidentKey(trx, kind.key, id, now))) throw new Error(`incident ${kind.key} claimed meanwhile`);
  const due = await openingDeadlines(trx, context, now, kind.priority);
  let created = await insertCase(trx, {
    id,
    type: kind.type,
    priority: kind.priority,
    status: 'new',
    // The case's account is the first listed one; the case page lists them all.
    accountId: (p.accounts[0] as MuleDestinationDetected['payload']['accounts'][number]).accountId,
    summary: `${kind.summary}: ${p.destination.kind} ${p.destination.id}`,
    locale: null,
    openedAt: now,
    ...due,
  });
  await saveIncident(trx, id, incidentOf(p), now);
  await saveAccounts(trx, id, p.accounts, now);
  await appendTimeline(
    trx,
    id,
    [
      {
        actor: actorLabel(SYSTEM),
        kind: 'opened',
        body: `${p.window.newPayers} accounts started paying ${p.incidentKey} within ${p.window.hours} hours, ${p.window.newPayersWithSigns} with takeover signs`,
        newValue: { priority: created.priority },
        data: { eventId: event.eventId, revision: p.revision, accountIds: p.accounts.map((a) => a.accountId) },
      },
    ],
    now,
  );
  await addEvidence(trx, id, flagEvidence(p), now);
  if (context.assignment.auto) created = (await assignNextAgent(trx, created, context.assignment, now)) ?? created;
  return { caseId: created.id, opened: true, applied: true };
}
