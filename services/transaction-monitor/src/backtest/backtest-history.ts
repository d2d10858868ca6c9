import type { FeedbackLabel, FlagReason, RiskDecision, WalletTransaction } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { type Kysely, sql } from 'kysely';
import { readListsAtVersion, readListsInForce } from '../lists/lists-repo';
import { type ListsSnapshot, listsSnapshot } from '../lists/lists-snapshot';
import type { TimelineEntry } from '../security-timeline/timeline-entry';
import { scoringOrder } from './scoring-order';

/**
 * A stored transaction as the live pipeline applied it: `chunk` names the scoring transaction
 * (its `processed_at`, epoch microseconds: every row of one chunk shares it) and rows come in
 * application order (`processed_at`, then `seq`).
 */
export interface StoredTransaction {
  payload: WalletTransaction;
  /** Epoch microseconds of the scoring transaction's start (`processed_at`). */
  chunk: number;
  /** Inside `[from, to]`: scored by the candidate rules; otherwise warm-up, folded as live decided. */
  inPeriod: boolean;
}

/** What live decided for a transaction (from its flag; `allow` with score 0 where it left none). */
export interface LiveOutcome {
  decision: RiskDecision;
  score: number;
  reasons: FlagReason[];
  rulesVersion: string | null;
  label: FeedbackLabel | null;
  /** The managed lists' version live scored it with (flags since 20261130140000_monitor_lists). */
  listsVersion: number | null;
}

/** A security event with the time the monitor stored it: live scoring saw only those stored before. */
export interface StoredSecurityEvent extends TimelineEntry {
  /** Epoch microseconds of `received_at`. */
  receivedAt: number;
}

export interface BacktestHistory {
  transactions: StoredTransaction[];
  live: Map<string, LiveOutcome>;
  /** By account, oldest first. */
  securityEvents: Map<string, StoredSecurityEvent[]>;
  accounts: number;
  accountsWithPartialHistory: number;
  /** The lists at each version live's flags recorded (or, when none did, the lists in force now). */
  lists: Map<number, ListsSnapshot>;
}

/** Epoch microseconds of a timestamptz, exact (a JS Date would drop the microseconds). */
const micros = (column: string) => sql<string>`(extract(epoch from ${sql.ref(column)}) * 1000000)::bigint::text`;

/**
 * The chunks in the order they held their locks (`monitor_scoring_chunks`), each chunk's rows in
 * their own order: chunks of different partitions overlap in time, and those paying one
 * destination saw each other in that order. Chunks without a number (applied before it was kept)
 * come first, by start time.
 */
async function inScoringOrder(db: Kysely<Database>, transactions: StoredTransaction[]): Promise<StoredTransaction[]> {
  if (transactions.length === 0) return transactions;
  const groups: StoredTransaction[][] = [];
  for (const t of transactions) {
    const last = groups[groups.length - 1];
    if (last && last[0]?.chunk === t.chunk) last.push(t);
    else groups.push([t]);
  }
  const order = await scoringOrder(db, groups[0]?.[0]?.chunk ?? 0, groups[groups.length - 1]?.[0]?.chunk ?? 0);
  const key = (g: StoredTransaction[]) => {
    const id = order.get(g[0]?.chunk ?? 0);
    return id === undefined ? [0, g[0]?.chunk ?? 0] : [1, id];
  };
  return groups
    .map((g) => ({ g, k: key(g) }))
    .sort((a, b) => (a.k[0] as number) - (b.k[0] as number) || (a.k[1] as number) - (b.k[1] as number))
    .flatMap(({ g }) => g);
}

/** Transactions of `[from, to]` (event time) the monitor stored with their payload. */
export async function countPeriodTransactions(db: Kysely<Database>, from: Date, to: Date): Promise<number> {
  const row = await db
    .selectFrom('monitor_transactions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('occurred_at', '>=', from)
    .where('occurred_at', '<=', to)
    .where('payload', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Everything a replay of `[from, to]` needs, read without locks and written nowhere: the
 * period's accounts, and the other accounts that ever paid a destination of `networkKinds` paid
 * in the period (the cross-account aggregate of `mule_destination` is rebuilt from their
 * payments); each one's whole stored history up to the period's last scoring transaction
 * (earlier transactions rebuild profiles and aggregates, as far back as retention kept them);
 * what live decided for each (flags and their latest label); the accounts' security events; and
 * the managed lists at each version live's flags recorded.
 */
export async function loadBacktestHistory(
  db: Kysely<Database>,
  from: Date,
  to: Date,
  networkKinds: readonly string[] = [],
): Promise<BacktestHistory> {
  const period = await db
    .selectFrom('monitor_transactions')
    .select(['account_id', sql<string>`max(${micros('processed_at')})`.as('last_chunk')])
    .where('occurred_at', '>=', from)
    .where('occurred_at', '<=', to)
    .where('payload', 'is not', null)
    .groupBy('account_id')
    .execute();
  const lastChunk = new Map(period.map((r) => [r.account_id, Number(r.last_chunk)]));
  const periodEnd = Math.max(0, ...lastChunk.values());
  if (networkKinds.length > 0 && period.length > 0) {
    // Payers of the period's covered destinations that made no transaction in it: a sequential
    // read of the stored transactions (no index on the counterparty), which only backtests pay.
    const { rows: payers } = await sql<{ account_id: string }>`
      select distinct t.account_id from monitor_transactions t
      where t.payload is not null and t.occurred_at <= ${to}
        and (t.counterparty_kind, t.counterparty_id) in (
          select distinct counterparty_kind, counterparty_id from monitor_transactions
          where occurred_at >= ${from} and occurred_at <= ${to} and payload is not null
            and counterparty_kind = any(${[...networkKinds]}::text[]) and counterparty_id is not null
        )`.execute(db);
    for (const { account_id } of payers) if (!lastChunk.has(account_id)) lastChunk.set(account_id, periodEnd);
  }
  const accountIds = [...lastChunk.keys()];
  const empty: BacktestHistory = {
    transactions: [],
    live: new Map(),
    securityEvents: new Map(),
    accounts: 0,
    accountsWithPartialHistory: 0,
    lists: new Map(),
  };
  if (accountIds.length === 0) return empty;
  const ids = sql<string>`any(${accountIds}::uuid[])`;

  const rows = await db
    .selectFrom('monitor_transactions')
    .select(['account_id', 'payload', 'occurred_at', micros('processed_at').as('chunk')])
    .where('account_id', '=', ids)
    .where('payload', 'is not', null)
    // Rows from before 20261130150000 have no seq: event time then id orders them.
    .orderBy('processed_at')
    .orderBy(sql`seq nulls first`)
    .orderBy('occurred_at')
    .orderBy('transaction_id')
    .execute();
  let transactions: StoredTransaction[] = [];
  for (const row of rows) {
    const chunk = Number(row.chunk);
    if (chunk > (lastChunk.get(row.account_id) ?? 0)) continue;
    const at = (row.occurred_at as Date).getTime();
    transactions.push({
      payload: row.payload as unknown as WalletTransaction,
      chunk,
      inPeriod: at >= from.getTime() && at <= to.getTime(),
    });
  }

  transactions = await inScoringOrder(db, transactions);

  const flags = await db
    .selectFrom('monitor_flags as f')
    .select((eb) => [
      'f.transaction_id',
      'f.decision',
      'f.score',
      'f.reasons',
      'f.rules_version',
      'f.lists_version',
      eb
        .selectFrom('monitor_flag_feedback as fb')
        .select('fb.label')
        .whereRef('fb.flag_id', '=', 'f.id')
        .orderBy('fb.created_at', 'desc')
        .limit(1)
        .as('label'),
    ])
    .where('f.account_id', '=', ids)
    .execute();
  const live = new Map<string, LiveOutcome>();
  for (const f of flags) {
    live.set(f.transaction_id, {
      decision: f.decision as RiskDecision,
      score: f.score,
      reasons: f.reasons as FlagReason[],
      rulesVersion: f.rules_version,
      label: (f.label as FeedbackLabel | null) ?? null,
      listsVersion: f.lists_version === null ? null : Number(f.lists_version),
    });
  }
  const lists = new Map<number, ListsSnapshot>();
  for (const version of new Set([...live.values()].flatMap((o) => (o.listsVersion === null ? [] : [o.listsVersion])))) {
    lists.set(version, listsSnapshot(version, await readListsAtVersion(db, version)));
  }
  if (lists.size === 0) {
    const { version, entries } = await readListsInForce(db);
    lists.set(version, listsSnapshot(version, entries));
  }

  const events = await db
    .selectFrom('monitor_security_events')
    .select([
      'event_id',
      'account_id',
      'type',
      'occurred_at',
      'ip',
      'device_id',
      'country',
      'new_device',
      'new_ip',
      micros('received_at').as('received'),
    ])
    .where('account_id', '=', ids)
    .orderBy('occurred_at')
    .execute();
  const securityEvents = new Map<string, StoredSecurityEvent[]>();
  for (const e of events) {
    const list = securityEvents.get(e.account_id) ?? [];
    list.push({
      eventId: e.event_id,
      accountId: e.account_id,
      type: e.type,
      at: e.occurred_at.getTime(),
      ip: e.ip,
      deviceId: e.device_id,
      country: e.country,
      newDevice: e.new_device,
      newIp: e.new_ip,
      receivedAt: Number(e.received),
    });
    securityEvents.set(e.account_id, list);
  }

  // A profile that counts more transactions than are stored lost its beginning to retention (or
  // to rows applied before payloads were kept).
  const { rows: partial } = await sql<{ n: string }>`
    select count(*)::text as n
    from monitor_account_profiles p
    where p.account_id = ${ids}
      and p.transaction_count > (
        select count(*) from monitor_transactions t where t.account_id = p.account_id and t.payload is not null
      )`.execute(db);

  return {
    transactions,
    live,
    securityEvents,
    accounts: period.length,
    accountsWithPartialHistory: Number(partial[0]?.n ?? 0),
    lists,
  };
}
