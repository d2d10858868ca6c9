// Feeding the transaction monitor a realistic stream and reading back everything it stored, so a
// faulted run can be compared with a clean run of the same stream, table by table.
import { type SecurityEvent, TOPICS, type WalletTransaction } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { type ReceivedMessage, type TestKafka, waitFor } from '@wallet-guard/testing';
import { asRecord, transactionEvent } from '@wallet-guard/transaction-monitor/testing';
import { Partitioners, type Producer } from 'kafkajs';
import { type Kysely, sql } from 'kysely';
import { DEFAULT_TRAFFIC, generateTraffic } from '../../traffic/generator';

export interface Stream {
  transactions: WalletTransaction[];
  securityEvents: SecurityEvent[];
}

/**
 * The first `total` transactions (in time order) of simulated traffic: ordinary customers plus
 * injected takeovers, drains, structuring and test-then-large incidents (tests/traffic), with
 * their security events. The same every time (fixed seed).
 */
export function faultStream(total: number): Stream {
  const traffic = generateTraffic({
    ...DEFAULT_TRAFFIC,
    normalAccounts: Math.ceil(total / 170),
    incidentsPerScenario: Math.max(2, Math.ceil(total / 5_000)),
  });
  if (traffic.transactions.length < total) throw new Error(`only ${traffic.transactions.length} transactions`);
  return {
    transactions: traffic.transactions.slice(0, total).map((t) => t.tx),
    securityEvents: traffic.securityEvents,
  };
}

/** An idempotent producer: a retried send must not put a record on the topic twice (that would be our fault, not the monitor's). */
export async function streamProducer(kafka: TestKafka): Promise<Producer> {
  const producer = kafka.kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return producer;
}

async function sendAll(producer: Producer, topic: string, records: { key: string; value: string }[]) {
  for (let i = 0; i < records.length; i += 2_000) {
    await producer.send({ topic, acks: -1, messages: records.slice(i, i + 2_000) });
  }
}

export const countRows = async (db: Kysely<Database>, table: 'monitor_transactions' | 'monitor_security_events') =>
  Number((await sql<{ n: string }>`select count(*)::text as n from ${sql.table(table)}`.execute(db)).rows[0]?.n);

/**
 * Security events go first, and all of them are stored before any transaction is sent: Kafka
 * orders nothing across topics, and this way every run scores each transaction against the same
 * timeline, so runs can be compared row for row.
 */
export async function sendSecurityEvents(kafka: TestKafka, producer: Producer, db: Kysely<Database>, stream: Stream) {
  await sendAll(
    producer,
    kafka.topic(TOPICS.securityEvents),
    stream.securityEvents.map((e) => ({ key: e.accountId, value: JSON.stringify(e) })),
  );
  await waitFor(async () => (await countRows(db, 'monitor_security_events')) === stream.securityEvents.length, {
    what: 'security events stored',
    timeoutMs: 120_000,
    intervalMs: 250,
  });
}

/**
 * Produces the transactions at about `perSecond` (batches of at most 2,000): a stream that is
 * still flowing while the test breaks something. Resolves when the last one is on the broker.
 */
export async function streamTransactions(
  kafka: TestKafka,
  producer: Producer,
  transactions: readonly WalletTransaction[],
  perSecond: number,
): Promise<void> {
  const topic = kafka.topic(TOPICS.walletTransactions);
  const batch = Math.max(1, Math.min(2_000, Math.round(perSecond / 10)));
  const started = performance.now();
  for (let i = 0; i < transactions.length; i += batch) {
    const records = transactions.slice(i, i + batch).map((tx) => asRecord(transactionEvent(tx)));
    await producer.send({ topic, acks: -1, messages: records });
    const wait = started + ((i + batch) / perSecond) * 1000 - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

/** Rows as the monitor stored them, without what differs by nature between runs (random ids, wall-clock times). */
export interface MonitorTables {
  transactions: number;
  distinctTransactions: number;
  flags: Map<string, unknown>;
  flagIds: Map<string, string>;
  profiles: Map<string, unknown>;
  counterparties: Map<string, unknown>;
  securityEvents: number;
  /** Announcements written; theft.suspected is one per account and batch, so only flagged rows compare across runs. */
  outbox: { flagged: number; unsent: number };
}

export async function readMonitorTables(db: Kysely<Database>): Promise<MonitorTables> {
  const counts = await sql<{ total: string; distinct: string }>`
    select count(*)::text as total, count(distinct transaction_id)::text as distinct from monitor_transactions`.execute(
    db,
  );
  const flags = await db
    .selectFrom('monitor_flags')
    .select([
      'id',
      'transaction_id',
      'account_id',
      'transaction_type',
      'amount_minor',
      'currency',
      'score',
      'decision',
      'shadow_score',
      'shadow_decision',
      'reasons',
      'security_event_ids',
      'rules_version',
      'occurred_at',
    ])
    .execute();
  const profiles = await db
    .selectFrom('monitor_account_profiles')
    .select(['account_id', 'state', 'transaction_count', 'first_seen_at', 'last_activity_at'])
    .execute();
  const counterparties = await db.selectFrom('monitor_counterparties').selectAll().execute();
  const outbox = await sql<{ flagged: string; unsent: string }>`
    select count(*) filter (where topic = ${TOPICS.transactionFlags})::text as flagged,
      count(*) filter (where published_at is null)::text as unsent
    from outbox where producer = 'transaction-monitor'`.execute(db);
  return {
    transactions: Number(counts.rows[0]?.total),
    distinctTransactions: Number(counts.rows[0]?.distinct),
    flags: new Map(flags.map(({ id: _id, ...f }) => [f.transaction_id, f])),
    flagIds: new Map(flags.map((f) => [f.transaction_id, f.id])),
    profiles: new Map(profiles.map((p) => [p.account_id, p])),
    counterparties: new Map(counterparties.map((c) => [`${c.account_id}|${c.counterparty}`, c])),
    securityEvents: await countRows(db, 'monitor_security_events'),
    outbox: { flagged: Number(outbox.rows[0]?.flagged), unsent: Number(outbox.rows[0]?.unsent) },
  };
}

export interface TableDiff {
  expected: number;
  actual: number;
  missing: number;
  extra: number;
  changed: number;
  /** A few differing keys, for the failure message. */
  samples: string[];
}

/** Compares two keyed tables row by row (deep equality of each row). */
export function diffTables(expected: Map<string, unknown>, actual: Map<string, unknown>): TableDiff {
  const diff: TableDiff = {
    expected: expected.size,
    actual: actual.size,
    missing: 0,
    extra: 0,
    changed: 0,
    samples: [],
  };
  const note = (what: string) => diff.samples.length < 5 && diff.samples.push(what);
  for (const [key, row] of expected) {
    if (!actual.has(key)) {
      diff.missing += 1;
      note(`missing ${key}`);
    } else if (JSON.stringify(row) !== JSON.stringify(actual.get(key))) {
      diff.changed += 1;
      note(`changed ${key}: ${JSON.stringify(row)} -> ${JSON.stringify(actual.get(key))}`);
    }
  }
  for (const key of actual.keys()) {
    if (!expected.has(key)) {
      diff.extra += 1;
      note(`extra ${key}`);
    }
  }
  return diff;
}

/** What a review or theft announcement says, by the flag's transaction. */
export interface Announcements {
  /** transaction.flagged records on the topic (duplicates included). */
  flagged: number;
  /** Distinct transactions announced. */
  flaggedTransactions: Set<string>;
  /** Announcements whose flagId is not the stored flag's id for that transaction. */
  wrongFlagId: number;
  /** Theft flags named by theft.suspected records, counting repeats. */
  theftMentions: number;
  theftTransactions: Set<string>;
}

export function readAnnouncements(
  flagged: readonly ReceivedMessage[],
  thefts: readonly ReceivedMessage[],
  flagIds: ReadonlyMap<string, string>,
): Announcements {
  const flaggedTransactions = new Set<string>();
  let wrongFlagId = 0;
  for (const m of flagged) {
    const { payload } = m.json<{ payload: { transactionId: string; flagId: string } }>();
    flaggedTransactions.add(payload.transactionId);
    if (flagIds.get(payload.transactionId) !== payload.flagId) wrongFlagId += 1;
  }
  const theftTransactions = new Set<string>();
  let theftMentions = 0;
  for (const m of thefts) {
    const { payload } = m.json<{ payload: { transactionIds: string[] } }>();
    theftMentions += payload.transactionIds.length;
    for (const id of payload.transactionIds) theftTransactions.add(id);
  }
  return { flagged: flagged.length, flaggedTransactions, wrongFlagId, theftMentions, theftTransactions };
}

/** Transactions whose flag must be announced (review or theft, live or shadow) and those decided theft. */
export function expectedAnnouncements(tables: MonitorTables) {
  const announced = new Set<string>();
  const theft = new Set<string>();
  for (const [id, row] of tables.flags) {
    const f = row as { decision: string; shadow_decision: string };
    if (f.decision !== 'allow' || f.shadow_decision !== 'allow') announced.add(id);
    if (f.decision === 'suspected_theft') theft.add(id);
  }
  return { announced, theft };
}
