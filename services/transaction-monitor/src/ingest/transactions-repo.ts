import type { TransactionCreated } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { type Kysely, sql, type Transaction } from 'kysely';

/**
 * Records transactions as applied and returns the ids that were new. A transaction applied
 * before (a redelivery, even under a new eventId) is not returned: its caller must leave it
 * alone. Racing consumers: the second insert of an id waits for the first transaction and then
 * sees a conflict, so exactly one of them applies it.
 */
export async function claimTransactions(
  trx: Transaction<Database>,
  events: readonly TransactionCreated[],
): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  // Arrays, not a VALUES list: two parameters whatever the number of rows, parsed once.
  const { rows } = await sql<{ transaction_id: string }>`
    insert into monitor_transactions (transaction_id, account_id)
    select * from unnest(
      ${events.map((e) => e.payload.transactionId)}::text[],
      ${events.map((e) => e.payload.accountId)}::uuid[]
    )
    on conflict (transaction_id) do nothing
    returning transaction_id`.execute(trx);
  return new Set(rows.map((r) => r.transaction_id));
}

/** Forgets applied transactions and security events older than the retention (the redelivery window) at `now`. */
export async function pruneMonitorHistory(db: Kysely<Database>, retentionDays: number, now: Date) {
  const before = new Date(now.getTime() - retentionDays * 86_400_000);
  const transactions = await db
    .deleteFrom('monitor_transactions')
    .where('processed_at', '<', before)
    .executeTakeFirst();
  const securityEvents = await db
    .deleteFrom('monitor_security_events')
    .where('received_at', '<', before)
    .executeTakeFirst();
  return {
    transactions: Number(transactions.numDeletedRows),
    securityEvents: Number(securityEvents.numDeletedRows),
  };
}
