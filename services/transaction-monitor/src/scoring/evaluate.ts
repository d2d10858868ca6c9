import type { OwnerConfirmation } from '../confirmations/owner-confirmation';
import { EMPTY_LISTS, type ListsSnapshot } from '../lists/lists-snapshot';
import { DestinationBook, type KnownDestinations } from '../network/destination-book';
import { foldTransaction, learnCounterparty } from '../profiles/fold';
import type { MonitoredTransaction } from '../profiles/monitored-transaction';
import {
  counterpartyKey,
  type KnownCounterparty,
  newProfileRecord,
  type ProfileRecord,
} from '../profiles/profile-state';
import type { TimelineEntry } from '../security-timeline/timeline-entry';
import type { Rules } from './rules-file';
import { type DecisionThresholds, type ScoreOutcome, scoreTransaction } from './score';

export interface Evaluated {
  tx: MonitoredTransaction;
  outcome: ScoreOutcome;
}

/** What is known of the accounts before a run: profiles, paid counterparties (`counterpartyKey`), timelines. */
export interface KnownState {
  profiles: ReadonlyMap<string, ProfileRecord>;
  counterparties: ReadonlyMap<string, KnownCounterparty>;
  timelines: ReadonlyMap<string, readonly TimelineEntry[]>;
  /** Payers of the destinations being paid (`loadDestinationPayers`); none when not given. */
  destinations?: KnownDestinations;
  /** The managed lists in force for the whole run (none when not given). */
  lists?: ListsSnapshot;
}

/**
 * Scores transactions in the order given (partition order), each against its account's state as
 * left by the ones before it, and folds it in. Pure: returns the new profiles of the accounts
 * touched and the counterparties learned (by `counterpartyKey`), and leaves `known` as it was.
 * A transaction decided `suspected_theft` teaches nothing: its counterparty stays unknown.
 * `confirmations` holds the owner's confirmation of transactions that came with a valid token, by transaction id.
 */
export function evaluateInOrder(
  txs: readonly MonitoredTransaction[],
  known: KnownState,
  rules: Rules,
  thresholds: DecisionThresholds,
  confirmations: ReadonlyMap<string, OwnerConfirmation> = new Map(),
): {
  evaluated: Evaluated[];
  profiles: Map<string, ProfileRecord>;
  counterparties: Map<string, KnownCounterparty>;
  /** The destinations' payers after the run (`DestinationBook.deltas` is what it added). */
  network: DestinationBook;
} {
  const profiles = new Map<string, ProfileRecord>();
  const counterparties = new Map<string, KnownCounterparty>();
  const evaluated: Evaluated[] = [];
  const network = new DestinationBook(known.destinations ?? new Map(), rules.mule_destination, thresholds.review);
  for (const tx of txs) {
    const record = profiles.get(tx.accountId) ?? known.profiles.get(tx.accountId) ?? newProfileRecord(tx.accountId);
    const key = tx.counterparty === null ? null : counterpartyKey(tx.accountId, tx.counterparty);
    const counterparty = key === null ? null : (counterparties.get(key) ?? known.counterparties.get(key) ?? null);
    const outcome = scoreTransaction(
      {
        tx,
        profile: record.state,
        counterparty,
        timeline: known.timelines.get(tx.accountId) ?? [],
        destination: network.aggregateFor(tx),
        lists: known.lists ?? EMPTY_LISTS,
      },
      rules,
      thresholds,
      confirmations.get(tx.transactionId) ?? null,
    );
    const learn = outcome.decision !== 'suspected_theft';
    profiles.set(tx.accountId, foldTransaction(record, tx, learn));
    if (learn && tx.outgoing && key !== null) counterparties.set(key, learnCounterparty(counterparty, tx));
    network.record(tx, outcome, known.timelines.get(tx.accountId) ?? []);
    evaluated.push({ tx, outcome });
  }
  return { evaluated, profiles, counterparties, network };
}

/** How far back the security timeline must reach for these rules (the takeover window, and the mule payers' signs). */
export const timelineReachMs = (rules: Rules) =>
  Math.max(rules.after_security_change.windowHours, rules.mule_destination.signsWithinHours) * 3_600_000;
