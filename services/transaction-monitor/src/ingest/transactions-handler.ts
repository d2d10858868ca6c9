import { TOPICS } from '@wallet-guard/contracts';
import type { EventHandler } from '@wallet-guard/messaging';
import { applyTransactions, type PipelineDeps } from './apply-transactions';

/**
 * The consumer of `wallet.transactions.v1`. The bus has already dead-lettered what does not
 * parse; this applies the rest, idempotent on transactionId (`monitor_transactions`), which also
 * covers a repeated eventId: the bus's eventId inbox is skipped, a write per event saved.
 */
export function transactionsHandler(
  deps: PipelineDeps,
  consumer: { chunkSize: number; partitionsConcurrently: number },
): EventHandler<typeof TOPICS.walletTransactions> {
  return {
    group: 'transaction-monitor.transactions',
    topic: TOPICS.walletTransactions,
    consumer,
    inbox: false,
    handle: (trx, events) =>
      applyTransactions(
        trx,
        deps,
        events.map((e) => e.event),
      ),
  };
}
