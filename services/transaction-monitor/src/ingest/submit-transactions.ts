import {
  createEvent,
  TOPICS,
  type TransactionBatchResult,
  type TransactionCreated,
  walletTransaction,
} from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { type EventBus, enqueueEvents } from '@wallet-guard/messaging';
import type { Kysely } from 'kysely';
import { MONITOR_PRODUCER } from '../producer';

type ItemResult = TransactionBatchResult['results'][number];

function transactionIdOf(item: unknown): string | null {
  const id = (item as { transactionId?: unknown } | null)?.transactionId;
  return typeof id === 'string' ? id.slice(0, 128) : null;
}

/**
 * Checks each item on its own: a bad item is refused with its reason and the others go on. A
 * transactionId repeated within the batch is refused after its first occurrence (one already
 * applied earlier is accepted and will change nothing).
 */
export function checkBatch(items: readonly unknown[]): { results: ItemResult[]; events: TransactionCreated[] } {
  const results: ItemResult[] = [];
  const events: TransactionCreated[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const parsed = walletTransaction.safeParse(item);
    if (!parsed.success) {
      const message = parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`)
        .join('; ');
      results.push({
        index,
        transactionId: transactionIdOf(item),
        status: 'rejected',
        error: { code: 'TXM_INVALID_TRANSACTION', message },
      });
      return;
    }
    const tx = parsed.data;
    if (seen.has(tx.transactionId)) {
      results.push({
        index,
        transactionId: tx.transactionId,
        status: 'rejected',
        error: { code: 'TXM_DUPLICATE_IN_BATCH', message: 'this transactionId appears earlier in the batch' },
      });
      return;
    }
    seen.add(tx.transactionId);
    events.push(
      createEvent(TOPICS.walletTransactions, {
        type: 'transaction.created',
        version: 1,
        producer: 'wallet',
        accountId: tx.accountId,
        payload: tx,
      }),
    );
    results.push({ index, transactionId: tx.transactionId, status: 'accepted' });
  });
  return { results, events };
}

/**
 * Puts accepted transactions into the same pipeline as the wallet's Kafka records: produced to
 * `wallet.transactions.v1` (key = accountId) when a broker is configured, otherwise written to the
 * outbox, which the embedded bus delivers to the same handler. Throws when neither is reachable.
 */
export async function submitTransactions(
  target: { db: Kysely<Database>; bus: EventBus },
  events: readonly TransactionCreated[],
): Promise<void> {
  if (events.length === 0) return;
  if (target.bus.mode === 'kafka') {
    await target.bus.produce(
      TOPICS.walletTransactions,
      events.map((e) => ({ key: e.accountId, value: JSON.stringify(e) })),
    );
    return;
  }
  await target.db.transaction().execute((trx) =>
    enqueueEvents(
      trx,
      MONITOR_PRODUCER,
      events.map((event) => ({ topic: TOPICS.walletTransactions, event })),
    ),
  );
  target.bus.nudge();
}
