import type { Database } from '@wallet-guard/db';
import type { Kysely } from 'kysely';

/**
 * Deletes sent outbox rows and inbox records older than the retention. The inbox must outlive
 * any redelivery (Kafka redelivers within minutes; the default keeps two weeks). Idempotent.
 */
export async function pruneMessaging(
  db: Kysely<Database>,
  retention: { outboxDays: number; inboxDays: number } = { outboxDays: 7, inboxDays: 14 },
): Promise<{ outbox: number; inbox: number }> {
  const day = 86_400_000;
  const outbox = await db
    .deleteFrom('outbox')
    .where('published_at', '<', new Date(Date.now() - retention.outboxDays * day))
    .executeTakeFirst();
  const inbox = await db
    .deleteFrom('inbox')
    .where('processed_at', '<', new Date(Date.now() - retention.inboxDays * day))
    .executeTakeFirst();
  return { outbox: Number(outbox.numDeletedRows), inbox: Number(inbox.numDeletedRows) };
}
