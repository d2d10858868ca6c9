import type { MonitoredTransaction } from './monitored-transaction';
import { type KnownCounterparty, PROFILE_LIMITS, type ProfileRecord, type ProfileState } from './profile-state';

// States are never mutated, so a list that does not change is shared with the next state.

/** Moves `value` to the end (most recently used) and forgets the oldest beyond `limit`. */
function remember(list: string[], value: string | null, limit: number): string[] {
  if (value === null || list[list.length - 1] === value) return list;
  const next = list.filter((v) => v !== value);
  next.push(value);
  return next.length > limit ? next.slice(next.length - limit) : next;
}

/** What the account knows of the counterparty of an outgoing `tx` after paying it. */
export function learnCounterparty(known: KnownCounterparty | null, tx: MonitoredTransaction): KnownCounterparty {
  return { since: known ? Math.min(known.since, tx.at) : tx.at, last: tx.amount.toString() };
}

/**
 * The profile after `tx`, scored before this call. Pure: the same profile and transaction always
 * give the same result, so a replay rebuilds identical statistics.
 *
 * `learn: false` (a transaction decided `suspected_theft`) still counts the transaction, its time,
 * place and amount in the windows, but does not teach the profile that the thief's device,
 * country and amount are usual for this account (nor, by the caller, its counterparty).
 */
export function foldTransaction(record: ProfileRecord, tx: MonitoredTransaction, learn: boolean): ProfileRecord {
  const prev = record.state;
  const state: ProfileState = {
    ...prev,
    lastActivityAt: prev.lastActivityAt === null ? tx.at : Math.max(prev.lastActivityAt, tx.at),
    lastLocation:
      tx.location && (prev.lastLocation === null || tx.at >= prev.lastLocation.at)
        ? { ...tx.location, at: tx.at }
        : prev.lastLocation,
  };
  if (tx.outgoing) {
    const from = tx.at - PROFILE_LIMITS.recentWindowMs;
    const recent = prev.recent.filter((e) => e.at > from);
    recent.push({ at: tx.at, amount: tx.amount.toString(), currency: tx.currency, counterparty: tx.counterparty });
    state.recent =
      recent.length > PROFILE_LIMITS.recentOutgoing ? recent.slice(-PROFILE_LIMITS.recentOutgoing) : recent;
  }
  if (learn) {
    if (tx.outgoing) {
      const sample = [...(prev.amounts[tx.currency] ?? []), tx.amount.toString()];
      if (sample.length > PROFILE_LIMITS.amountsPerCurrency) sample.shift();
      state.amounts = { ...prev.amounts, [tx.currency]: sample };
    }
    state.devices = remember(prev.devices, tx.deviceId, PROFILE_LIMITS.devices);
    state.countries = remember(prev.countries, tx.country, PROFILE_LIMITS.countries);
  }
  const at = new Date(tx.at);
  return {
    accountId: record.accountId,
    state,
    transactionCount: record.transactionCount + 1,
    firstSeenAt: record.firstSeenAt === null || at < record.firstSeenAt ? at : record.firstSeenAt,
    lastActivityAt: state.lastActivityAt === null ? null : new Date(state.lastActivityAt),
  };
}
