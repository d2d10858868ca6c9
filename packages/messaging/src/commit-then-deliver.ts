import type { Kysely, Transaction } from 'kysely';
import type { EventBus } from './bus';

/**
 * Runs `work` in one database transaction and, once it has committed, asks the bus to deliver the
 * outbox rows it wrote (`enqueueEvent`), so in-process delivery and the Kafka relay do not wait
 * for their next poll. The one way a service changes state and announces it.
 *
 * Guarantees: the events are delivered only if the transaction committed (the outbox rows are in
 * it); a nudge is a hint, never a delivery by itself, so a lost nudge delays delivery by at most
 * one relay poll (`OUTBOX_POLL_INTERVAL_MS`). Throws what `work` or the commit throws, and then
 * nudges nothing.
 */
export async function commitThenDeliver<DB, T>(
  db: Kysely<DB>,
  bus: Pick<EventBus, 'nudge'>,
  work: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  const result = await db.transaction().execute(work);
  bus.nudge();
  return result;
}
