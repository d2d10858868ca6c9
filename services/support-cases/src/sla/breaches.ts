import type { Database } from '@wallet-guard/db';
import { commitThenDeliver, type EventBus } from '@wallet-guard/messaging';
import type { Kysely, Transaction } from 'kysely';
import { publishCaseEvent } from '../cases/case-events';
import { type CaseRecord, toCaseRecord } from '../cases/case-record';
import { checkTransition, escalatesOn, newBreaches } from '../cases/case-rules';
import { appendTimeline, updateCase } from '../cases/cases-repo';

/** Who hears of an escalation besides the supervisors' queue. */
export interface EscalationPolicy {
  /** Carried in `sla.escalated` for the notifier; null: the event goes out without an address. */
  onCallEmail: string | null;
}

/**
 * Flags cases whose SLA deadline passed by `now`: sets the breach flag, writes the timeline and
 * announces `sla.breached`, once per case and SLA. A P1 or P2 that missed its first response is
 * also sent to the supervisors' queue (the `sla_breach` transition, by the system, with a timeline
 * entry and `case.updated`) and on-call is alerted (`sla.escalated`), in the same transaction as
 * the flag, so exactly once per breach. Rows are locked with SKIP LOCKED and re-checked (the flag
 * is part of the WHERE, which Postgres re-evaluates on a row another run just changed), so several
 * instances can run this at the same time. Returns how many breaches it recorded, once committed;
 * the announcements are then delivered (`commitThenDeliver`).
 */
export async function flagBreaches(
  db: Kysely<Database>,
  bus: Pick<EventBus, 'nudge'>,
  now: Date,
  options: { limit?: number; escalation?: EscalationPolicy } = {},
): Promise<number> {
  const limit = options.limit ?? 200;
  const escalation = options.escalation ?? { onCallEmail: null };
  return commitThenDeliver(db, bus, async (trx) => {
    const rows = await trx
      .selectFrom('cases')
      .selectAll()
      .where('status', 'not in', ['resolved', 'closed'])
      .where('sla_paused_at', 'is', null)
      .where((eb) =>
        eb.or([
          eb.and([
            eb('first_responded_at', 'is', null),
            eb('first_response_breached', '=', false),
            eb('first_response_due_at', '<', now),
          ]),
          eb.and([eb('resolution_breached', '=', false), eb('resolution_due_at', '<', now)]),
        ]),
      )
      .orderBy('next_due_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    let count = 0;
    for (const row of rows) {
      const c = toCaseRecord(row);
      const breaches = newBreaches(c, now);
      if (breaches.length === 0) continue;
      let updated = await updateCase(
        trx,
        c.id,
        {
          ...(breaches.includes('first_response') ? { first_response_breached: true } : {}),
          ...(breaches.includes('resolution') ? { resolution_breached: true } : {}),
        },
        now,
      );
      for (const sla of breaches) {
        const dueAt = sla === 'first_response' ? c.firstResponseDueAt : c.resolutionDueAt;
        await appendTimeline(
          trx,
          c.id,
          [
            {
              actor: 'system',
              kind: 'sla_breached',
              body: `${sla === 'first_response' ? 'First response' : 'Resolution'} SLA missed`,
              // The calendar settings version explains the deadline (business hours, holidays).
              data: { sla, dueAt: dueAt.toISOString(), slaCalendarVersion: c.slaCalendarVersion },
            },
          ],
          now,
        );
        await publishCaseEvent(trx, 'sla.breached', updated, { sla, dueAt: dueAt.toISOString() });
        count += 1;
        if (escalatesOn(c.priority, sla)) updated = await escalate(trx, updated, dueAt, escalation, now);
      }
    }
    return count;
  });
}

/**
 * Sends a case whose first response is overdue to the supervisors (unless an agent already did)
 * and alerts on-call. Runs inside the breach's transaction, on the locked row.
 */
async function escalate(
  trx: Transaction<Database>,
  c: CaseRecord,
  dueAt: Date,
  escalation: EscalationPolicy,
  now: Date,
): Promise<CaseRecord> {
  const from = c.status;
  let current = c;
  if (checkTransition(from, 'escalated', 'system', 'sla_breach').ok) {
    current = await updateCase(trx, c.id, { status: 'escalated', queue: 'supervisors' }, now);
    await appendTimeline(
      trx,
      c.id,
      [
        {
          actor: 'system',
          kind: 'escalated',
          oldValue: from,
          newValue: 'escalated',
          body: "First response overdue: sent to the supervisors' queue and on-call alerted",
          data: { sla: 'first_response', dueAt: dueAt.toISOString(), slaCalendarVersion: c.slaCalendarVersion },
        },
      ],
      now,
    );
    await publishCaseEvent(trx, 'case.updated', current, {
      changes: [
        { field: 'status', from, to: 'escalated' },
        { field: 'queue', from: c.queue, to: 'supervisors' },
      ],
    });
  }
  await publishCaseEvent(trx, 'sla.escalated', current, {
    sla: 'first_response',
    dueAt: dueAt.toISOString(),
    from,
    queue: 'supervisors',
    ...(escalation.onCallEmail ? { onCall: { email: escalation.onCallEmail } } : {}),
  });
  return current;
}
