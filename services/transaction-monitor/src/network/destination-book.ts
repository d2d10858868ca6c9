import type { MonitoredTransaction } from '../profiles/monitored-transaction';
import { triggerOf } from '../scoring/rules/after-security-change';
import type { ScoreOutcome } from '../scoring/score';
import type { TimelineEntry } from '../security-timeline/timeline-entry';
import {
  aggregateAt,
  coveredBy,
  type DestinationAggregate,
  type DestinationPayer,
  type DestinationWindow,
  isNewPayer,
  mergePayers,
  type NetworkParams,
} from './destination-aggregate';

const HOUR = 3_600_000;
/** Accounts one announcement lists at most (the earliest payers first): bounds the event's size. */
const MAX_LISTED_PAYERS = 200;

/** Payers of each destination by `kind:id`, then by account id. */
export type KnownDestinations = ReadonlyMap<string, ReadonlyMap<string, DestinationPayer>>;

/** A destination whose payers crossed the incident threshold and list accounts not announced yet. */
export interface IncidentCandidate {
  counterparty: string;
  kind: string;
  /** The latest payment of the batch to it (event time). */
  at: number;
  /** The account that made that payment: the announcement's `accountId`. */
  accountId: string;
  /** The rule's window at `at`, every account counted. */
  window: DestinationWindow;
  /** Payers within the long window, earliest first (at most `MAX_LISTED_PAYERS`). */
  listed: DestinationPayer[];
}

export interface PayerDelta {
  counterparty: string;
  kind: string;
  payer: DestinationPayer;
}

/** An empty record of `accountId` paying nothing yet: the identity of `mergePayers`. */
export const noPayments = (accountId: string): DestinationPayer => ({
  accountId,
  firstPaidAt: null,
  lastPaidAt: null,
  payments: 0,
  amounts: {},
  securityChangeAt: null,
  flaggedAt: null,
  decision: null,
  maxScore: 0,
  flagIds: [],
  flaggedTransactionIds: [],
  announced: false,
});

/**
 * The network aggregate through one run of `evaluateInOrder`: starts from the payers read under
 * the destinations' locks (`loadDestinationPayers`), gives each transaction its destination's
 * aggregate before it (`aggregateFor`), then records the payment with its outcome (`record`).
 * What the run added is kept apart as deltas (`deltas`), which the database merges into its rows
 * atomically. Domain only: no database, no clock.
 */
export class DestinationBook {
  private readonly merged = new Map<string, Map<string, DestinationPayer>>();
  private readonly added = new Map<string, Map<string, DestinationPayer>>();
  private readonly latest = new Map<string, { kind: string; at: number; accountId: string }>();

  constructor(
    private readonly known: KnownDestinations,
    private readonly params: NetworkParams,
    /** Review threshold: a payment counts as flagged when other rules than this one reach it. */
    private readonly reviewThreshold: number,
  ) {}

  private payersOf(counterparty: string): Map<string, DestinationPayer> {
    let payers = this.merged.get(counterparty);
    if (!payers) {
      payers = new Map(this.known.get(counterparty) ?? []);
      this.merged.set(counterparty, payers);
    }
    return payers;
  }

  private add(counterparty: string, delta: DestinationPayer): void {
    const payers = this.payersOf(counterparty);
    const own = payers.get(delta.accountId);
    payers.set(delta.accountId, own ? mergePayers(own, delta) : delta);
    const added = this.added.get(counterparty) ?? new Map<string, DestinationPayer>();
    this.added.set(counterparty, added);
    const before = added.get(delta.accountId);
    added.set(delta.accountId, before ? mergePayers(before, delta) : delta);
  }

  /** The destination's aggregate before `tx`, or null when the network does not cover it. */
  aggregateFor(tx: MonitoredTransaction): DestinationAggregate | null {
    if (!coveredBy(tx, this.params)) return null;
    const counterparty = tx.counterparty as string;
    const payers = this.payersOf(counterparty);
    return {
      ...aggregateAt(counterparty, tx.counterpartyKind as string, payers.values(), tx.at, this.params, tx.accountId),
      payerIsNew: isNewPayer(payers.get(tx.accountId), tx.at, this.params),
    };
  }

  /** Records `tx` (scored `outcome`) as a payment of its account to its destination. */
  record(tx: MonitoredTransaction, outcome: ScoreOutcome, timeline: readonly TimelineEntry[]): void {
    if (!coveredBy(tx, this.params)) return;
    const counterparty = tx.counterparty as string;
    const from = tx.at - this.params.signsWithinHours * HOUR;
    const triggers = new Set<string>(this.params.takeoverTriggers);
    let securityChangeAt: number | null = null;
    for (const entry of timeline) {
      const trigger = triggerOf(entry);
      if (trigger === null || !triggers.has(trigger) || entry.at > tx.at || entry.at <= from) continue;
      if (securityChangeAt === null || entry.at > securityChangeAt) securityChangeAt = entry.at;
    }
    // This rule's own points do not make a sign: a destination's new payers would otherwise
    // feed each other's strength however innocent they are.
    const ownPoints = outcome.reasons.find((r) => r.rule === 'mule_destination' && !r.shadow)?.points ?? 0;
    const flagged = outcome.decision !== 'allow' && outcome.score - ownPoints >= this.reviewThreshold;
    this.add(counterparty, {
      ...noPayments(tx.accountId),
      firstPaidAt: tx.at,
      lastPaidAt: tx.at,
      payments: 1,
      amounts: { [tx.currency]: tx.amount },
      securityChangeAt,
      flaggedAt: flagged ? tx.at : null,
      decision: outcome.decision === 'allow' ? null : outcome.decision,
      maxScore: outcome.score,
      flaggedTransactionIds: outcome.decision === 'allow' ? [] : [tx.transactionId],
    });
    const seen = this.latest.get(counterparty);
    if (!seen || tx.at >= seen.at) {
      this.latest.set(counterparty, { kind: tx.counterpartyKind as string, at: tx.at, accountId: tx.accountId });
    }
  }

  /**
   * Destinations paid in this run that are network incidents now (`incident` thresholds, rule
   * live) and list accounts not announced yet; those accounts are marked announced in the deltas.
   * Call once, after the run.
   */
  incidents(): IncidentCandidate[] {
    if (this.params.mode !== 'live') return [];
    const candidates: IncidentCandidate[] = [];
    for (const [counterparty, { kind, at, accountId }] of this.latest) {
      const payers = this.payersOf(counterparty);
      const { windows } = aggregateAt(counterparty, kind, payers.values(), at, this.params, null);
      const [window, long] = windows;
      if (
        window.newPayers < this.params.incident.minNewPayers ||
        window.newPayersWithSigns < this.params.incident.minWithTakeoverSigns
      ) {
        continue;
      }
      // Listed against the latest payment known, not this batch's: another partition may have
      // committed payments later in event time, and the list is the whole picture.
      const latestPaid = Math.max(at, ...[...payers.values()].map((p) => p.lastPaidAt ?? at));
      const from = latestPaid - long.hours * HOUR;
      const listed = [...payers.values()]
        .filter((p) => p.firstPaidAt !== null && p.lastPaidAt !== null && p.lastPaidAt > from)
        .sort((a, b) => (a.firstPaidAt as number) - (b.firstPaidAt as number) || a.accountId.localeCompare(b.accountId))
        .slice(0, MAX_LISTED_PAYERS);
      if (listed.every((p) => p.announced)) continue;
      for (const p of listed) if (!p.announced) this.add(counterparty, { ...noPayments(p.accountId), announced: true });
      candidates.push({
        counterparty,
        kind,
        at,
        accountId,
        window,
        listed: listed.map((p) => payers.get(p.accountId) as DestinationPayer),
      });
    }
    return candidates;
  }

  /** What this run adds to each (destination, account) record, for `saveDestinationPayers`. */
  deltas(): PayerDelta[] {
    return [...this.added].flatMap(([counterparty, payers]) =>
      [...payers.values()].map((payer) => ({
        counterparty,
        kind: counterparty.slice(0, counterparty.indexOf(':')),
        payer,
      })),
    );
  }
}
