import type { Database } from '@wallet-guard/db';
import { commitThenDeliver, type EventBus } from '@wallet-guard/messaging';
import type { Kysely } from 'kysely';
import { publishCaseEvent } from '../cases/case-events';
import { toCaseRecord } from '../cases/case-record';
import { newBreaches } from '../cases/case-rules';
import { appendTimeline, updateCase } from '../cases/cases-repo';

/**
 * Flags cases whose SLA deadline passed by `now`: sets the breach flag, writes the timeline and
 * announces `sla.breached`, once per case and SLA. Rows are locked with SKIP LOCKED, so several
 * instances can run this at the same time. Returns how many breaches it recorded, once committed;
 * the announcements are then delivered (`commitThenDeliver`).
 */
export async function flagBreaches(
  db: Kysely<Database>,
  bus: Pick<EventBus, 'nudge'>,
  now: Date,
  limit = 200,
): Promise<number> {
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
      const updated = await updateCase(
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
              data: { sla, dueAt: dueAt.toISOString() },
            },
          ],
          now,
        );
        await publishCaseEvent(trx, 'sla.breached', updated, { sla, dueAt: dueAt.toISOString() });
        count += 1;
      }
    }
    return count;
  });
}
