// Running the transaction monitor as a process over a stream, and the checks fault 1 and fault 4
// share: the run settles, its tables equal a clean run's, and each announcement is on the broker once.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS } from '@wallet-guard/contracts';
import { createTestDatabase, type TestDatabase, TestKafka, waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  type Announcements,
  countRows,
  diffTables,
  expectedAnnouncements,
  faultStream,
  type MonitorTables,
  readAnnouncements,
  readMonitorTables,
  type Stream,
  sendSecurityEvents,
  streamProducer,
  streamTransactions,
  type TableDiff,
} from './monitor-stream';
import { kafkaEnv, killAll, ServiceProcess } from './service-process';

/** What fault 1 and fault 4 run on: one stream, and a broker prefix and database for each run. */
export interface MonitorFaultSetup {
  stream: Stream;
  kafka: { clean: TestKafka; faulted: TestKafka };
  db: { clean: TestDatabase; faulted: TestDatabase };
  /** Every process started; killed after the file, pass or fail. */
  services: ServiceProcess[];
}

/** Registers the file's beforeAll/afterAll; the setup's fields are filled once beforeAll ran. */
export function monitorFaultSetup(total: number): MonitorFaultSetup {
  const setup = {
    kafka: { clean: new TestKafka(), faulted: new TestKafka() },
    services: [],
  } as unknown as MonitorFaultSetup;
  const dbs: Partial<MonitorFaultSetup['db']> = {};
  beforeAll(async () => {
    setup.stream = faultStream(total);
    await Promise.all([setup.kafka.clean.createTopics(), setup.kafka.faulted.createTopics()]);
    dbs.clean = await createTestDatabase({ poolMax: 2 });
    dbs.faulted = await createTestDatabase({ poolMax: 2 });
    setup.db = dbs as MonitorFaultSetup['db'];
  });
  afterAll(async () => {
    await killAll(setup.services);
    await setup.kafka.clean.cleanup();
    await setup.kafka.faulted.cleanup();
    await dbs.clean?.drop();
    await dbs.faulted?.drop();
  });
  return setup;
}

/**
 * The shipped rules with `mule_destination` off. Its hits depend on the order in which chunks of
 * different partitions reach a shared destination (which payer is "the third"), an order Kafka does
 * not define and that differs between any two runs, disturbed or not; every other rule judges one
 * account, whose transactions one partition orders, so a disturbed run must match a clean one.
 */
const PER_ACCOUNT_RULES = (() => {
  const shipped = readFileSync(
    new URL('../../../services/transaction-monitor/rules/default-rules.yaml', import.meta.url),
    'utf8',
  );
  const off = shipped.replace(/(\n {2}mule_destination:\n {4}mode: )live/, '$1off');
  if (off === shipped) throw new Error('mule_destination not found in the shipped rules');
  const file = join(mkdtempSync(join(tmpdir(), 'wg-fault-rules-')), 'rules.yaml');
  writeFileSync(file, off);
  return file;
})();

export function startMonitorProcess(db: TestDatabase, kafka: TestKafka, label: string): Promise<ServiceProcess> {
  return ServiceProcess.start(
    'transaction-monitor',
    { DATABASE_URL: db.url, ...kafkaEnv(kafka), MONITOR_RULES_WATCH: 'false', MONITOR_RULES_FILE: PER_ACCOUNT_RULES },
    { label },
  );
}

/** Waits until every transaction is applied and every announcement sent, then reads the tables. */
export async function settled(db: TestDatabase, total: number): Promise<MonitorTables> {
  await waitFor(async () => (await countRows(db.db, 'monitor_transactions')) >= total, {
    what: `all ${total} transactions applied`,
    timeoutMs: 180_000,
    intervalMs: 250,
  });
  return waitFor(
    async () => {
      const tables = await readMonitorTables(db.db);
      return tables.outbox.unsent === 0 ? tables : undefined;
    },
    { what: 'every announcement sent', timeoutMs: 60_000, intervalMs: 250 },
  );
}

/** The reference: the same stream through one monitor nobody disturbs, as fast as it goes. */
export async function cleanRun(
  db: TestDatabase,
  kafka: TestKafka,
  stream: Stream,
  label: string,
  services: ServiceProcess[],
): Promise<MonitorTables> {
  const monitor = await startMonitorProcess(db, kafka, label);
  services.push(monitor);
  const producer = await streamProducer(kafka);
  try {
    await sendSecurityEvents(kafka, producer, db.db, stream);
    await streamTransactions(kafka, producer, stream.transactions, 100_000);
    const tables = await settled(db, stream.transactions.length);
    expect((await monitor.stop()).code).toBe(0);
    return tables;
  } finally {
    await producer.disconnect();
  }
}

/** Starts producing the stream at `perSecond`; `done()` says whether the last record is out. */
export async function startStream(db: TestDatabase, kafka: TestKafka, stream: Stream, perSecond: number) {
  const producer = await streamProducer(kafka);
  await sendSecurityEvents(kafka, producer, db.db, stream);
  let finished = false;
  const flowing = streamTransactions(kafka, producer, stream.transactions, perSecond).then(() => {
    finished = true;
  });
  return {
    done: () => finished,
    finished: async () => {
      await flowing;
      await producer.disconnect();
    },
  };
}

/** Reads the run's announcements off the broker (committed records only) once all are there, plus time for a duplicate. */
export async function announcementsOf(kafka: TestKafka, tables: MonitorTables) {
  const wanted = expectedAnnouncements(tables);
  const flagged = await kafka.collect(TOPICS.transactionFlags);
  const thefts = await kafka.collect(TOPICS.theftSuspected);
  await waitFor(
    () =>
      flagged.length >= wanted.announced.size &&
      readAnnouncements(flagged, thefts, tables.flagIds).theftTransactions.size >= wanted.theft.size,
    { what: 'every announcement read back', timeoutMs: 60_000 },
  );
  await new Promise((r) => setTimeout(r, 2_000)); // a duplicate would have arrived by now
  return { wanted, announced: readAnnouncements(flagged, thefts, tables.flagIds) };
}

export interface Comparison {
  flags: TableDiff;
  profiles: TableDiff;
  counterparties: TableDiff;
}

export function compareRuns(expected: MonitorTables, actual: MonitorTables): Comparison {
  return {
    flags: diffTables(expected.flags, actual.flags),
    profiles: diffTables(expected.profiles, actual.profiles),
    counterparties: diffTables(expected.counterparties, actual.counterparties),
  };
}

/** The figures every monitor fault reports. */
export function figures(
  expected: MonitorTables,
  actual: MonitorTables,
  c: Comparison,
  a: { wanted: ReturnType<typeof expectedAnnouncements>; announced: Announcements },
) {
  const equal = (d: TableDiff) => `${d.expected - d.missing - d.changed}/${d.expected}${d.extra ? ` +${d.extra}` : ''}`;
  return {
    transactions: `${actual.transactions} (distinct ${actual.distinctTransactions}; clean ${expected.transactions})`,
    flags: `${actual.flags.size} (clean ${expected.flags.size}; missing ${c.flags.missing}, extra ${c.flags.extra}, changed ${c.flags.changed})`,
    profilesEqual: equal(c.profiles),
    counterpartiesEqual: equal(c.counterparties),
    announced: `${a.announced.flagged} records for ${a.announced.flaggedTransactions.size} flags (expected ${a.wanted.announced.size})`,
    theftAnnounced: `${a.announced.theftMentions} mentions of ${a.announced.theftTransactions.size} theft flags (expected ${a.wanted.theft.size})`,
  };
}

/** Exactly once in effect: the faulted run stored what the clean run stored and announced each flag once. */
export function expectSameAsClean(
  expected: MonitorTables,
  actual: MonitorTables,
  total: number,
  c: Comparison,
  a: { wanted: ReturnType<typeof expectedAnnouncements>; announced: Announcements },
): void {
  expect(actual.transactions).toBe(total);
  expect(actual.distinctTransactions).toBe(total);
  expect(actual.securityEvents).toBe(expected.securityEvents);
  expect(expected.flags.size).toBeGreaterThan(500);
  expect(c.flags, c.flags.samples.join('\n')).toMatchObject({ missing: 0, extra: 0, changed: 0 });
  expect(c.profiles, c.profiles.samples.join('\n')).toMatchObject({ missing: 0, extra: 0, changed: 0 });
  expect(c.counterparties, c.counterparties.samples.join('\n')).toMatchObject({ missing: 0, extra: 0, changed: 0 });
  expect(actual.outbox.flagged).toBe(expected.outbox.flagged);
  expect(a.announced.flagged).toBe(a.wanted.announced.size);
  expect([...a.announced.flaggedTransactions].sort()).toEqual([...a.wanted.announced].sort());
  expect(a.announced.wrongFlagId).toBe(0);
  expect(a.announced.theftMentions).toBe(a.wanted.theft.size);
  expect([...a.announced.theftTransactions].sort()).toEqual([...a.wanted.theft].sort());
}
