import type { ListsSnapshot } from '../lists/lists-snapshot';
import type { DestinationAggregate } from '../network/destination-aggregate';
import type { MonitoredTransaction } from '../profiles/monitored-transaction';
import type { KnownCounterparty, ProfileState } from '../profiles/profile-state';
import type { TimelineEntry } from '../security-timeline/timeline-entry';

/**
 * What every rule sees: the transaction, the account's profile before it, what the account knew
 * of the transaction's counterparty, and its security timeline.
 */
export interface RuleContext {
  tx: MonitoredTransaction;
  profile: ProfileState;
  /** Null when the account never paid this counterparty (or the transaction names none). */
  counterparty: KnownCounterparty | null;
  /** The account's security events, oldest first (at least the last 24 hours before the transaction). */
  timeline: readonly TimelineEntry[];
  /** The managed lists in force (version-stamped; the version is recorded on the flag). */
  lists: ListsSnapshot;
  /**
   * What the monitor knows of the destination across all accounts, before this transaction (the
   * paying account itself left out). Null for incoming money, merchants and kinds the network
   * aggregate does not cover (`mule_destination.kinds`), or when the rule is off.
   */
  destination: DestinationAggregate | null;
}

export interface RuleHit {
  /** 0 to 1: the share of the rule's weight this hit earns. */
  strength: number;
  /** One sentence an agent can read. */
  detail: string;
  /** Security events that made the rule fire. */
  securityEventIds?: string[];
  /**
   * Points an allow-list entry may never take off (`allow_listed` in score.ts): a block or review
   * listing. Hits citing security events are firm too.
   */
  firm?: boolean;
}

/** A rule: a pure function of the context and its thresholds from the rules file. */
export type Rule<P> = (ctx: RuleContext, params: P) => RuleHit | null;

/**
 * 0.5 when `value` just reaches `threshold`, rising linearly to 1 at `strong`: a hit is worth at
 * least half its weight, and a flagrant one all of it.
 */
export function strengthBetween(value: number, threshold: number, strong: number): number {
  if (!(strong > threshold)) return 1;
  const share = (value - threshold) / (strong - threshold);
  return 0.5 + 0.5 * Math.min(1, Math.max(0, Number.isFinite(share) ? share : 1));
}

/** Outgoing transactions of the profile within `windowMs` before the transaction (itself excluded). */
export function recentWithin(ctx: RuleContext, windowMs: number) {
  const from = ctx.tx.at - windowMs;
  return ctx.profile.recent.filter((e) => e.at > from && e.at <= ctx.tx.at);
}
