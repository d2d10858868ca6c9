// Builders for the monitor's tests: transactions, profiles, security timelines, the shipped rules.
import { randomUUID } from 'node:crypto';
import type { WalletTransaction } from '@wallet-guard/contracts';
import { EMPTY_LISTS, type ListsSnapshot } from '../lists/lists-snapshot';
import { foldTransaction, learnCounterparty } from '../profiles/fold';
import { type MonitoredTransaction, toMonitoredTransaction } from '../profiles/monitored-transaction';
import { type KnownCounterparty, newProfileRecord, type ProfileState } from '../profiles/profile-state';
import type { RuleContext } from '../scoring/rule';
import type { Rules } from '../scoring/rules-file';
import { DEFAULT_RULES_FILE, readRulesFile } from '../scoring/rules-store';
import type { TimelineEntry } from '../security-timeline/timeline-entry';

/** A fixed "now" for pure tests: rules run on event time, never on the wall clock. */
export const T0 = Date.parse('2026-11-20T12:00:00.000Z');
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const at = (ms: number) => new Date(ms).toISOString();

export const shippedRules = (): Rules => readRulesFile(DEFAULT_RULES_FILE).rules;

/** A valid wallet transaction: a 50.00 EUR payment at T0 unless told otherwise. */
export function walletTx(fields: Partial<WalletTransaction> = {}): WalletTransaction {
  return {
    transactionId: `tx-${randomUUID()}`,
    accountId: fields.accountId ?? randomUUID(),
    type: 'payment',
    amountMinor: '5000',
    currency: 'EUR',
    occurredAt: at(T0),
    ...fields,
  };
}

export const monitored = (fields: Partial<WalletTransaction> = {}): MonitoredTransaction =>
  toMonitoredTransaction(walletTx(fields));

/** An account's state after some transactions: its profile and the counterparties it paid (by `kind:id`). */
export interface History {
  profile: ProfileState;
  counterparties: Map<string, KnownCounterparty>;
}

/** The state after `history`, folded in order as the pipeline would (every transaction learned from). */
export function profileAfter(history: readonly Partial<WalletTransaction>[], accountId = randomUUID()): History {
  let record = newProfileRecord(accountId);
  const counterparties = new Map<string, KnownCounterparty>();
  for (const fields of history) {
    const tx = monitored({ accountId, ...fields });
    record = foldTransaction(record, tx, true);
    if (tx.outgoing && tx.counterparty !== null) {
      counterparties.set(tx.counterparty, learnCounterparty(counterparties.get(tx.counterparty) ?? null, tx));
    }
  }
  return { profile: record.state, counterparties };
}

/** `count` outgoing payments of `amountMinor` to one merchant, an hour apart, ending a day before T0. */
export function usualPayments(count: number, amountMinor = '5000', extra: Partial<WalletTransaction> = {}) {
  return Array.from({ length: count }, (_, i) => ({
    amountMinor,
    counterparty: { id: 'grocer', kind: 'merchant' as const },
    context: { deviceId: 'phone-1', country: 'DE' },
    occurredAt: at(T0 - DAY - (count - i) * HOUR),
    ...extra,
  }));
}

export function ruleContext(
  tx: MonitoredTransaction,
  history: History = profileAfter([]),
  timeline: TimelineEntry[] = [],
  lists: ListsSnapshot = EMPTY_LISTS,
): RuleContext {
  const counterparty = tx.counterparty === null ? null : (history.counterparties.get(tx.counterparty) ?? null);
  return { tx, profile: history.profile, counterparty, timeline, lists, destination: null };
}

export function securityEntry(type: string, atMs: number, fields: Partial<TimelineEntry> = {}): TimelineEntry {
  return {
    eventId: randomUUID(),
    accountId: randomUUID(),
    type,
    at: atMs,
    ip: null,
    deviceId: null,
    country: null,
    newDevice: null,
    newIp: null,
    ...fields,
  };
}
