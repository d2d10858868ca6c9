import type { AnyEnvelope } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { Transaction } from 'kysely';
import type { DeliveredEvent } from './handler';

/**
 * Records `events` in the group's inbox and returns those not seen before (first occurrence
 * only, order kept). Call inside the transaction that applies them: if it rolls back, the inbox
 * rows go too. A concurrent transaction inserting the same eventId waits for this one, then
 * sees it as a duplicate, so two racing consumers apply an event once.
 */
export async function claimNewEvents<E extends AnyEnvelope>(
  trx: Transaction<Database>,
  group: string,
  events: readonly DeliveredEvent<E>[],
): Promise<DeliveredEvent<E>[]> {
  const firstSeen = new Map<string, DeliveredEvent<E>>();
  for (const e of events) if (!firstSeen.has(e.event.eventId)) firstSeen.set(e.event.eventId, e);
  if (firstSeen.size === 0) return [];
  const inserted = await trx
    .insertInto('inbox')
    .values([...firstSeen.values()].map((e) => ({ consumer_group: group, event_id: e.event.eventId, topic: e.topic })))
    .onConflict((oc) => oc.columns(['consumer_group', 'event_id']).doNothing())
    .returning('event_id')
    .execute();
  const fresh = new Set(inserted.map((r) => r.event_id));
  return [...firstSeen.values()].filter((e) => fresh.has(e.event.eventId));
}
