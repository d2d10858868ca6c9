import { randomUUID } from 'node:crypto';
import type { Database } from '@wallet-guard/db';
import { enqueueEvents } from '@wallet-guard/messaging';
import type { Transaction } from 'kysely';
import { freezeRequestsFor, requestFreezes } from '../auto-freeze/freeze-requests-repo';
import { flagAnnouncements } from '../flags/flag-announcements';
import { type FlagRecord, toFlagRecord } from '../flags/flag-record';
import { insertFlags } from '../flags/flags-repo';
import type { PipelineDeps } from '../ingest/apply-transactions';
import { MONITOR_PRODUCER } from '../outbox-producer';
import { toMonitoredTransaction } from '../profiles/monitored-transaction';
import { lockProfiles } from '../profiles/profiles-repo';
import { timelineReachMs } from '../scoring/evaluate';
import type { TimelineEntry } from '../security-timeline/timeline-entry';
import { loadTimelines } from '../security-timeline/timeline-repo';
import { canChangeScores, NO_FLAG, rescoreWithTimeline, rises } from './rescore';
import { loadScoredTransactions, raiseFlags } from './rescoring-repo';

export interface RescoringDeps
  extends Pick<PipelineDeps, 'rules' | 'thresholds' | 'autoFreeze' | 'metrics' | 'clock' | 'lists'> {
  /** How long after a security event its account's transactions are rescored (MONITOR_RESCORE_LATENESS_SECONDS); 0: never. */
  latenessMs: number;
}

/**
 * Kafka orders nothing across topics: a security event can be stored after transactions it
 * preceded were scored without it. This rescores, inside the security events' database
 * transaction, the accounts' outgoing transactions that occurred within `latenessMs` after one of
 * `arrived` (events stored just now, so a redelivery rescores nothing): the timeline rules are
 * re-run with the event in the timeline, the other rules keep their points (`rescoreWithTimeline`).
 * A decision that rises is written on the transaction's flag (created when it had none) and
 * announced like any other (risk.transaction-flags.v1, risk.theft-suspected.v1, auto-freeze);
 * one that would stay or fall is left as it was.
 *
 * Concurrency: it takes the pipeline's profile locks (`lockProfiles`, account order) before
 * reading the transactions. A chunk of transactions holds those locks from before it reads the
 * timeline until it commits, so either the chunk committed first and its transactions are read
 * here, or this commits first and the chunk's timeline read sees the event: every transaction is
 * scored with the event exactly once, by one side or the other, and announced once.
 *
 * What is not undone: the profile and counterparties a transaction taught when it was first
 * allowed (a transaction decided theft teaches nothing) stay taught.
 */
export async function rescoreAfterLateEvents(
  trx: Transaction<Database>,
  deps: RescoringDeps,
  arrived: readonly TimelineEntry[],
): Promise<void> {
  if (deps.latenessMs <= 0 || arrived.length === 0) return;
  const snapshot = deps.rules();
  const events = arrived.filter((e) => canChangeScores(e, snapshot.rules));
  if (events.length === 0) return;
  const byAccount = new Map<string, TimelineEntry[]>();
  for (const e of events) byAccount.set(e.accountId, [...(byAccount.get(e.accountId) ?? []), e]);
  const accountIds = [...byAccount.keys()];
  await lockProfiles(trx, accountIds);
  const times = events.map((e) => e.at);
  const stored = await loadScoredTransactions(
    trx,
    accountIds,
    new Date(Math.min(...times)),
    new Date(Math.max(...times) + deps.latenessMs),
  );
  const preceded = stored
    .map((s) => ({ ...s, tx: toMonitoredTransaction(s.payload) }))
    .filter(
      ({ tx }) =>
        tx.outgoing &&
        (byAccount.get(tx.accountId) ?? []).some((e) => e.at <= tx.at && tx.at - e.at <= deps.latenessMs),
    );
  if (preceded.length === 0) return;
  const txTimes = preceded.map((p) => p.tx.at);
  const timelines = await loadTimelines(
    trx,
    accountIds,
    new Date(Math.min(...txTimes) - timelineReachMs(snapshot.rules)),
    new Date(Math.max(...txTimes)),
  );

  const raised: FlagRecord[] = [];
  const created: FlagRecord[] = [];
  let listsVersion: number | undefined;
  for (const { tx, flag } of preceded) {
    const before = flag ?? NO_FLAG;
    const outcome = rescoreWithTimeline(tx, timelines.get(tx.accountId) ?? [], before, snapshot.rules, deps.thresholds);
    if (outcome === null) {
      deps.metrics.rescored.inc({ outcome: 'not_replayable' });
      continue;
    }
    if (!rises(before, outcome)) {
      deps.metrics.rescored.inc({ outcome: 'kept' });
      continue;
    }
    deps.metrics.rescored.inc({ outcome: 'raised' });
    listsVersion ??= (await deps.lists.current(trx)).version;
    const record = toFlagRecord({ tx, outcome }, snapshot.version, flag?.id ?? randomUUID(), listsVersion);
    (flag ? raised : created).push(record);
  }
  if (raised.length + created.length === 0) return;
  await raiseFlags(trx, raised);
  await insertFlags(trx, created);
  const flags = [...raised, ...created].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  await enqueueEvents(trx, MONITOR_PRODUCER, flagAnnouncements(flags));
  if (deps.autoFreeze) await requestFreezes(trx, freezeRequestsFor(flags), deps.clock());
}
