import type { FlagReason } from '@wallet-guard/contracts';
import type { OwnerConfirmation } from '../confirmations/owner-confirmation';
import type { ListsSnapshot } from '../lists/lists-snapshot';
import { type DestinationPayer, mergePayers } from '../network/destination-aggregate';
import { DestinationBook } from '../network/destination-book';
import { foldTransaction, learnCounterparty } from '../profiles/fold';
import { type MonitoredTransaction, toMonitoredTransaction } from '../profiles/monitored-transaction';
import {
  counterpartyKey,
  type KnownCounterparty,
  newProfileRecord,
  type ProfileRecord,
} from '../profiles/profile-state';
import { canChangeScores, rescoreWithTimeline, rises } from '../rescoring/rescore';
import { evaluateInOrder, timelineReachMs } from '../scoring/evaluate';
import type { Rules } from '../scoring/rules-file';
import { type DecisionThresholds, OWNER_CONFIRMED, type ScoreOutcome } from '../scoring/score';
import type { TimelineEntry } from '../security-timeline/timeline-entry';
import type { BacktestHistory, LiveOutcome, StoredSecurityEvent, StoredTransaction } from './backtest-history';

/** A transaction of the period as the candidate rules scored it. */
export interface Replayed {
  tx: MonitoredTransaction;
  outcome: ScoreOutcome;
}

const NO_FLAG: LiveOutcome = {
  decision: 'allow',
  score: 0,
  reasons: [],
  rulesVersion: null,
  label: null,
  listsVersion: null,
};

/** What live decided for `transactionId` (`allow`, score 0, where it left no flag). */
export const liveOutcomeOf = (history: BacktestHistory, transactionId: string): LiveOutcome =>
  history.live.get(transactionId) ?? NO_FLAG;

const CONFIRMED = /with (a passkey|an authenticator code) \(confirmation ([^)]+)\)/;

/**
 * The owner's confirmation live found on a transaction, read back from its `owner_confirmed`
 * reason (`scoreTransaction` writes it on every confirmed transaction, so each has a flag): the
 * token itself is never stored, so this is the only record of it. The wording is pinned by a test.
 */
export function confirmationFromReasons(reasons: readonly FlagReason[]): OwnerConfirmation | null {
  const reason = reasons.find((r) => r.rule === OWNER_CONFIRMED);
  const match = reason ? CONFIRMED.exec(reason.detail) : null;
  if (!match) return null;
  return { confirmationId: match[2] as string, phishingResistant: match[1] === 'a passkey' };
}

/**
 * The security events live could see when it scored a chunk: stored before the chunk's scoring
 * transaction began (`receivedAt` before `chunk`), within the timeline reach before the chunk's
 * earliest transaction, up to its latest (as `applyTransactions` loads them).
 */
function chunkTimelines(
  events: ReadonlyMap<string, readonly StoredSecurityEvent[]>,
  txs: readonly MonitoredTransaction[],
  chunk: number,
  reachMs: number,
): Map<string, TimelineEntry[]> {
  const times = txs.map((t) => t.at);
  const from = Math.min(...times) - reachMs;
  const to = Math.max(...times);
  const timelines = new Map<string, TimelineEntry[]>();
  for (const accountId of new Set(txs.map((t) => t.accountId))) {
    const visible = (events.get(accountId) ?? []).filter((e) => e.receivedAt <= chunk && e.at >= from && e.at <= to);
    if (visible.length > 0) timelines.set(accountId, visible);
  }
  return timelines;
}

/** Transactions of a stored chunk, in application order. */
function* chunks(transactions: readonly StoredTransaction[]): Generator<StoredTransaction[]> {
  let current: StoredTransaction[] = [];
  for (const t of transactions) {
    if (current.length > 0 && current[0]?.chunk !== t.chunk) {
      yield current;
      current = [];
    }
    current.push(t);
  }
  if (current.length > 0) yield current;
}

/** Lets the event loop breathe (Kafka consumers, HTTP) every this many transactions. */
const YIELD_EVERY = 2_000;

/** What a run added to the destinations' payers, merged into `into` (as the database merges it). */
function mergeDeltas(into: Map<string, Map<string, DestinationPayer>>, book: DestinationBook): void {
  for (const { counterparty, payer } of book.deltas()) {
    const payers = into.get(counterparty) ?? new Map<string, DestinationPayer>();
    into.set(counterparty, payers);
    const own = payers.get(payer.accountId);
    payers.set(payer.accountId, own ? mergePayers(own, payer) : payer);
  }
}

/** A live outcome as the network aggregate records it (its decision, score and reasons). */
const asScored = (live: LiveOutcome): ScoreOutcome => ({
  score: live.score,
  decision: live.decision,
  shadowScore: live.score,
  shadowDecision: live.decision,
  reasons: live.reasons,
  securityEventIds: [],
});

/**
 * Replays the stored history chunk by chunk, as the live pipeline applied it, entirely in memory:
 * each run of period transactions goes through `evaluateInOrder` (the live scoring and folding
 * code) with the candidate `rules`; a warm-up transaction (outside the period) is folded the way
 * live decided it (`suspected_theft` teaches nothing), so profiles and the destinations' payers
 * (`mule_destination`) stand as live had them. What the candidate rules decide in the period then
 * shapes what follows, as it would have live. Owner confirmations come back from live's flags;
 * each chunk is scored with the lists version its flags recorded (carried over from the chunk
 * before when it has none). A security event stored after a period transaction it preceded by at
 * most `latenessMs` (MONITOR_RESCORE_LATENESS_SECONDS) rescores it as live does (`rescoring/`):
 * the decision may rise, never fall, and what the profile learned stays. Yields to the event loop
 * now and then; never writes anywhere.
 */
export async function replayHistory(
  history: BacktestHistory,
  rules: Rules,
  thresholds: DecisionThresholds,
  latenessMs = 0,
): Promise<Replayed[]> {
  const profiles = new Map<string, ProfileRecord>();
  const counterparties = new Map<string, KnownCounterparty>();
  const destinations = new Map<string, Map<string, DestinationPayer>>();
  const replayed: Replayed[] = [];
  const reachMs = timelineReachMs(rules);
  let sinceYield = 0;
  let lists: ListsSnapshot | undefined = history.lists.values().next().value;

  /** The outcome after the security events stored too late for the scoring (live's rescoring). */
  const rescoredLate = ({ tx, outcome }: Replayed, chunk: number): Replayed => {
    if (latenessMs <= 0 || !tx.outgoing) return { tx, outcome };
    const events = history.securityEvents.get(tx.accountId) ?? [];
    const late = events.some(
      (e) => e.receivedAt > chunk && e.at <= tx.at && tx.at - e.at <= latenessMs && canChangeScores(e, rules),
    );
    if (!late) return { tx, outcome };
    const timeline = events.filter((e) => e.at >= tx.at - reachMs && e.at <= tx.at);
    const next = rescoreWithTimeline(tx, timeline, outcome, rules, thresholds);
    return next && rises(outcome, next) ? { tx, outcome: next } : { tx, outcome };
  };

  const warmUp = (tx: MonitoredTransaction, timelines: ReadonlyMap<string, readonly TimelineEntry[]>) => {
    const live = liveOutcomeOf(history, tx.transactionId);
    const learn = live.decision !== 'suspected_theft';
    const record = profiles.get(tx.accountId) ?? newProfileRecord(tx.accountId);
    profiles.set(tx.accountId, foldTransaction(record, tx, learn));
    if (learn && tx.outgoing && tx.counterparty !== null) {
      const key = counterpartyKey(tx.accountId, tx.counterparty);
      counterparties.set(key, learnCounterparty(counterparties.get(key) ?? null, tx));
    }
    const book = new DestinationBook(destinations, rules.mule_destination, thresholds.review);
    book.record(tx, asScored(live), timelines.get(tx.accountId) ?? []);
    mergeDeltas(destinations, book);
  };

  for (const chunk of chunks(history.transactions)) {
    const txs = chunk.map((t) => toMonitoredTransaction(t.payload));
    const timelines = chunkTimelines(history.securityEvents, txs, chunk[0]?.chunk ?? 0, reachMs);
    for (const tx of txs) {
      const version = liveOutcomeOf(history, tx.transactionId).listsVersion;
      if (version !== null) lists = history.lists.get(version) ?? lists;
    }
    let run: MonitoredTransaction[] = [];
    const flush = () => {
      if (run.length === 0) return;
      const confirmations = new Map<string, OwnerConfirmation>();
      for (const tx of run) {
        const confirmation = confirmationFromReasons(liveOutcomeOf(history, tx.transactionId).reasons);
        if (confirmation) confirmations.set(tx.transactionId, confirmation);
      }
      const result = evaluateInOrder(
        run,
        { profiles, counterparties, timelines, destinations, ...(lists ? { lists } : {}) },
        rules,
        thresholds,
        confirmations,
      );
      for (const [id, record] of result.profiles) profiles.set(id, record);
      for (const [key, known] of result.counterparties) counterparties.set(key, known);
      mergeDeltas(destinations, result.network);
      for (const evaluated of result.evaluated) replayed.push(rescoredLate(evaluated, chunk[0]?.chunk ?? 0));
      run = [];
    };
    chunk.forEach((stored, i) => {
      const tx = txs[i] as MonitoredTransaction;
      if (stored.inPeriod) run.push(tx);
      else {
        flush();
        warmUp(tx, timelines);
      }
    });
    flush();
    sinceYield += chunk.length;
    if (sinceYield >= YIELD_EVERY) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return replayed;
}
