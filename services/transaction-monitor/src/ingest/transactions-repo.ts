import type { TransactionCreated } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { type Kysely, sql, type Transaction } from 'kysely';
import { pruneScoringOrder } from '../backtest/scoring-order';

/**
 * Records transactions as applied, with what they were (type, amount, counterparty, time and the
 * whole validated payload, for the account portal's list and for backtests), and returns the ids
 * that were new. A transaction applied before (a redelivery, even under a new eventId) is not
 * returned and its stored details stay those of the first delivery: its caller must leave it
 * alone. Racing consumers: the second insert of an id waits for the first transaction and then
 * sees a conflict, so exactly one of them applies it.
 */
export async function claimTransactions(
  trx: Transaction<Database>,
  events: readonly TransactionCreated[],
): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  // One JSON document, not a VALUES list nor per-column arrays: one parameter whatever the number
  // of rows, parsed once, and the payload stored as parsed. Measured per 2,000-row chunk, a jsonb[]
  // (or text[]) array of payloads costs about twice this: its escaped array literal is the slow part.
  const { rows } = await sql<{ transaction_id: string }>`
    insert into monitor_transactions (transaction_id, account_id, type, amount_minor, currency, counterparty_id,
      counterparty_kind, counterparty_country, occurred_at, payload)
    select p->>'transactionId', (p->>'accountId')::uuid, p->>'type', (p->>'amountMinor')::bigint, p->>'currency',
      p->'counterparty'->>'id', p->'counterparty'->>'kind', p->'counterparty'->>'country',
      (p->>'occurredAt')::timestamptz, p
    from jsonb_array_elements(${JSON.stringify(events.map((e) => e.payload))}::jsonb) as p
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
  await pruneScoringOrder(db, before);
  // A destination's payers nobody paid it within the retention: the mule rule looks back days, and
  // a payer coming back after that is a new payer again (the backtest sees only retained history too).
  const destinationPayers = await db
    .deleteFrom('monitor_destination_payers')
    .where('last_paid_at', '<', before)
    .executeTakeFirst();
  return {
    transactions: Number(transactions.numDeletedRows),
    securityEvents: Number(securityEvents.numDeletedRows),
    destinationPayers: Number(destinationPayers.numDeletedRows),
  };
}
