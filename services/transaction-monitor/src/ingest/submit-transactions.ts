import {
  createEvent,
  TOPICS,
  type TransactionBatchResult,
  type TransactionCreated,
  walletTransaction,
} from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { commitThenDeliver, type EventBus, enqueueEvents } from '@wallet-guard/messaging';
import type { Logger } from '@wallet-guard/observability';
import type { Kysely } from 'kysely';
import { itemRefusals, monitorErrors } from '../errors';
import { MONITOR_PRODUCER } from '../outbox-producer';

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
        error: itemRefusals.invalidTransaction(message),
      });
      return;
    }
    const tx = parsed.data;
    if (seen.has(tx.transactionId)) {
      results.push({
        index,
        transactionId: tx.transactionId,
        status: 'rejected',
        error: itemRefusals.duplicateInBatch(),
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
 * `POST /v1/transactions`: answers each item (accepted, or refused with its reason) and hands the
 * accepted ones to the pipeline. Throws `TXM_INGEST_UNAVAILABLE` (the cause logged) when neither
 * the broker nor the outbox takes them: then none was taken, and the wallet retries the batch.
 */
export async function takeTransactionBatch(
  target: { db: Kysely<Database>; bus: EventBus; log: Pick<Logger, 'error'> },
  items: readonly unknown[],
): Promise<TransactionBatchResult> {
  const { results, events } = checkBatch(items);
  try {
    await submitTransactions(target, events);
  } catch (error) {
    target.log.error({ err: error }, 'could not hand transactions to the pipeline');
    throw monitorErrors.ingestUnavailable();
  }
  return { accepted: events.length, rejected: results.length - events.length, results };
}

/**
 * Puts accepted transactions into the same pipeline as the wallet's Kafka records: produced to
 * `wallet.transactions.v1` (key = accountId) when a broker is configured, otherwise written to the
 * outbox, which the embedded bus delivers to the same handler. Throws when neither is reachable.
 */
async function submitTransactions(
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
  await commitThenDeliver(target.db, target.bus, (trx) =>
    enqueueEvents(
      trx,
      MONITOR_PRODUCER,
      events.map((event) => ({ topic: TOPICS.walletTransactions, event })),
    ),
  );
}
