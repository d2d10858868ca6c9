import { randomUUID } from 'node:crypto';
import type { TransactionCreated } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { enqueueEvents } from '@wallet-guard/messaging';
import type { Transaction } from 'kysely';
import { freezeRequestsFor, requestFreezes } from '../auto-freeze/freeze-requests-repo';
import { recordScoringOrder } from '../backtest/scoring-order';
import type { Clock } from '../clock';
import type { ConfirmationVerifier } from '../confirmations/confirmation-verifier';
import type { OwnerConfirmation } from '../confirmations/owner-confirmation';
import { flagAnnouncements } from '../flags/flag-announcements';
import { deservesFlag, toFlagRecord } from '../flags/flag-record';
import { insertFlags } from '../flags/flags-repo';
import type { ListsStore } from '../lists/lists-store';
import type { MonitorMetrics } from '../metrics';
import { loadNetwork, saveNetwork } from '../network/network-step';
import { MONITOR_PRODUCER } from '../outbox-producer';
import { loadCounterparties, saveCounterparties } from '../profiles/counterparties-repo';
import { toMonitoredTransaction } from '../profiles/monitored-transaction';
import { lockProfiles, saveProfiles } from '../profiles/profiles-repo';
import { evaluateInOrder, timelineReachMs } from '../scoring/evaluate';
import type { RulesSnapshot } from '../scoring/rules-store';
import type { DecisionThresholds } from '../scoring/score';
import { loadTimelines } from '../security-timeline/timeline-repo';
import { claimTransactions } from './transactions-repo';

export interface PipelineDeps {
  rules: () => RulesSnapshot;
  thresholds: DecisionThresholds;
  autoFreeze: boolean;
  metrics: MonitorMetrics;
  /** When a freeze request is due (scoring itself runs on each transaction's own time). */
  clock: Clock;
  /** Checks the owner's payment confirmation tokens some transactions carry. */
  confirmations: Pick<ConfirmationVerifier, 'confirmationOf'>;
  /** The managed lists: one version read per chunk, the entries re-read only when it moved. */
  lists: Pick<ListsStore, 'current'>;
}

/**
 * Applies one chunk of transactions inside the consumer's database transaction, in a fixed number
 * of statements whatever the chunk size: claim the transaction ids (only new ones go on), lock
 * and read the accounts' profiles, read their security timelines and the counterparties being
 * paid, score and fold in partition order, then write profiles, counterparties, flags,
 * announcements (outbox) and freeze requests. All of it
 * commits or none of it, and before the consumer commits the Kafka offsets. A transaction with a
 * payment confirmation token is first checked against auth's keys (`ConfirmationVerifier`): a
 * valid one bound to it lowers its score (`owner_confirmed`); the token is never stored.
 */
export async function applyTransactions(
  trx: Transaction<Database>,
  deps: PipelineDeps,
  events: readonly TransactionCreated[],
): Promise<void> {
  const firstOfEach = new Map<string, TransactionCreated>();
  for (const e of events) if (!firstOfEach.has(e.payload.transactionId)) firstOfEach.set(e.payload.transactionId, e);
  // Only transactions that carry a confirmation token cost a verification; the token itself is
  // dropped here, so nothing below (the stored payload included) ever holds it.
  const withToken: TransactionCreated['payload'][] = [];
  const unique: TransactionCreated[] = [];
  for (const e of firstOfEach.values()) {
    if (e.payload.confirmationToken === undefined) {
      unique.push(e);
      continue;
    }
    withToken.push(e.payload);
    const { confirmationToken: _token, ...payload } = e.payload;
    unique.push({ ...e, payload });
  }
  const fresh = await claimTransactions(trx, unique);
  const confirmations = new Map<string, OwnerConfirmation>();
  for (const payload of withToken.filter((p) => fresh.has(p.transactionId))) {
    const confirmation = await deps.confirmations.confirmationOf(payload);
    if (confirmation) confirmations.set(payload.transactionId, confirmation);
  }
  if (fresh.size < events.length) deps.metrics.duplicates.inc(events.length - fresh.size);
  const txs = unique.filter((e) => fresh.has(e.payload.transactionId)).map((e) => toMonitoredTransaction(e.payload));
  if (txs.length === 0) return;

  const snapshot = deps.rules();
  const lists = await deps.lists.current(trx);
  const accountIds = [...new Set(txs.map((t) => t.accountId))];
  const profiles = await lockProfiles(trx, accountIds);
  const times = txs.map((t) => t.at);
  const timelines = await loadTimelines(
    trx,
    accountIds,
    new Date(Math.min(...times) - timelineReachMs(snapshot.rules)),
    new Date(Math.max(...times)),
  );
  const counterparties = await loadCounterparties(
    trx,
    txs.flatMap((t) =>
      t.outgoing && t.counterparty !== null ? [{ accountId: t.accountId, counterparty: t.counterparty }] : [],
    ),
  );
  const destinations = await loadNetwork(trx, txs, snapshot.rules.mule_destination);
  // After the locks: chunks paying one destination are replayed in the order they held them (backtests).
  await recordScoringOrder(trx);
  const result = evaluateInOrder(
    txs,
    { profiles, counterparties, timelines, destinations, lists },
    snapshot.rules,
    deps.thresholds,
    confirmations,
  );
  await saveProfiles(trx, [...result.profiles.values()]);
  await saveCounterparties(trx, result.counterparties);

  const flags = result.evaluated
    .filter(deservesFlag)
    .map((e) => toFlagRecord(e, snapshot.version, randomUUID(), lists.version));
  await insertFlags(trx, flags);
  const muleAnnouncements = await saveNetwork(
    trx,
    result.network,
    flags,
    snapshot.rules.mule_destination,
    snapshot.version,
    deps.clock(),
  );
  if (muleAnnouncements > 0) deps.metrics.muleAnnouncements.inc(muleAnnouncements);
  await enqueueEvents(trx, MONITOR_PRODUCER, flagAnnouncements(flags));
  if (deps.autoFreeze) await requestFreezes(trx, freezeRequestsFor(flags), deps.clock());

  for (const { outcome } of result.evaluated) {
    deps.metrics.scored.inc({ decision: outcome.decision });
    for (const reason of outcome.reasons) {
      deps.metrics.ruleHits.inc({ rule: reason.rule, mode: reason.shadow ? 'shadow' : 'live' });
    }
  }
}
