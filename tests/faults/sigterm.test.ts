// Fault 5 (issue 8): SIGTERM during load. Each service stops taking new work, finishes what it
// has (in-flight requests answered, the chunk in hand applied and its offsets committed, the relay
// batch in hand sent) and exits 0 within 10 s. After a restart nothing is applied twice and
// nothing is missing.
import { randomUUID } from 'node:crypto';
import {
  createEvent,
  physicalTopic,
  type SecurityEvent,
  TOPICS,
  type WalletTransaction,
} from '@wallet-guard/contracts';
import { createTestDatabase, type TestDatabase, TestKafka, waitFor } from '@wallet-guard/testing';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { type Account, type Answer, call, register, signIn } from './support/http';
import { announcementsOf } from './support/monitor-runs';
import {
  countRows,
  faultStream,
  readMonitorTables,
  streamProducer,
  streamTransactions,
} from './support/monitor-stream';
import { report } from './support/report';
import { kafkaEnv, killAll, ServiceProcess } from './support/service-process';
import { aroundSignal, committedOffsets, httpLoad, terminate } from './support/sigterm';

const GRACE_LIMIT_MS = 10_000;
const brokers: TestKafka[] = [];
const databases: TestDatabase[] = [];
const services: ServiceProcess[] = [];

afterAll(async () => {
  await killAll(services);
  for (const kafka of brokers) await kafka.cleanup();
  for (const db of databases) await db.drop();
});

/** Each test its own topics and groups: one service's records must not reach another's test. */
async function topics(): Promise<TestKafka> {
  const kafka = new TestKafka();
  brokers.push(kafka);
  await kafka.createTopics();
  return kafka;
}

async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase({ poolMax: 2 });
  databases.push(db);
  return db;
}

async function start(...args: Parameters<typeof ServiceProcess.start>): Promise<ServiceProcess> {
  const service = await ServiceProcess.start(...args);
  services.push(service);
  return service;
}

const served =
  (...statuses: number[]) =>
  (a: Answer) =>
    statuses.includes(a.status);

/** Events still in the outbox: a graceful stop sends what its finished work committed. */
const unsentEvents = async (db: TestDatabase) =>
  Number(
    (
      await db.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('published_at', 'is', null)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('SIGTERM during load', () => {
  it('auth answers the sign-ins it took, refuses later ones, sends its events once and exits 0 within 10 s', async () => {
    const [db, kafka] = await Promise.all([database(), topics()]);
    // Production argon2 cost: sign-ins really are in flight (hashing, queued) when the signal comes.
    const env = { DATABASE_URL: db.url, ...kafkaEnv(kafka) };
    let auth = await start('auth', env, { label: 'f5-auth' });
    const accounts: Account[] = [];
    for (let i = 0; i < 24; i++) accounts.push(await register(auth.url));
    const url = auth.url;
    let next = 0;
    // Six loops sign in with the right password, two with a wrong one (locks: events in the outbox).
    const load = httpLoad(8, (worker) => {
      const account = accounts[next++ % accounts.length] as Account;
      return signIn(url, account.email, worker < 6 ? account.password : 'not-the-password-at-all');
    });
    await waitFor(() => load.answers.length >= 40, { what: 'sign-ins under way', timeoutMs: 60_000 });
    const stop = await terminate(auth);
    await new Promise((r) => setTimeout(r, 1_000)); // keep knocking after the exit
    await load.stop();

    const around = aroundSignal(load.answers, stop.signalledAt, served(200, 401));
    const sessions = load.answers
      .filter((a) => a.status === 200)
      .map((a) => (a.body as { sessionId: string }).sessionId);
    const stored = await db.db
      .selectFrom('auth_sessions')
      .select('id')
      .where('id', 'in', sessions.length ? sessions : [randomUUID()])
      .execute();
    const unsentAtExit = await unsentEvents(db);

    // Restarted, it sends whatever was left; every event is on the broker exactly once.
    auth = await start('auth', env, { label: 'f5-auth-restarted' });
    const events = await waitFor(
      async () => {
        const rows = await db.db.selectFrom('outbox').select(['event_id', 'topic', 'published_at']).execute();
        return rows.every((r) => r.published_at !== null) ? rows : undefined;
      },
      { what: 'every auth event sent', timeoutMs: 60_000 },
    );
    const securityEvents = events.filter((e) => e.topic === TOPICS.securityEvents).map((e) => e.event_id);
    const onTopic = await kafka.collect(TOPICS.securityEvents);
    const mine = new Set(securityEvents);
    await waitFor(() => onTopic.filter((m) => mine.has(m.json<{ eventId: string }>().eventId)).length >= mine.size, {
      what: 'auth events read back',
    });
    await new Promise((r) => setTimeout(r, 2_000));
    const ids = onTopic.map((m) => m.json<{ eventId: string }>().eventId).filter((id) => mine.has(id));

    report('fault 5: SIGTERM auth under sign-in load', {
      exitCode: stop.code,
      exitMs: Math.round(stop.exitMs),
      ...around,
      sessionsFound: `${stored.length}/${sessions.length}`,
      eventsUnsentAtExit: unsentAtExit,
      securityEventsOnTopic: `${ids.length} records, ${new Set(ids).size} distinct of ${mine.size}`,
    });
    expect(stop.code).toBe(0);
    expect(stop.exitMs).toBeLessThan(GRACE_LIMIT_MS);
    expect(around.inFlight).toBeGreaterThan(0);
    expect(around.inFlightServed).toBe(around.inFlight);
    expect(around.unanswered).toBe(0);
    expect(around.late).toBeGreaterThan(0);
    expect(around.lateServed).toBe(0);
    expect(stored).toHaveLength(sessions.length);
    expect(unsentAtExit).toBe(0);
    expect(ids).toHaveLength(mine.size);
    expect(new Set(ids).size).toBe(mine.size);
    expect((await auth.stop()).code).toBe(0);
  });

  it('the monitor finishes the chunk in hand, commits exactly what it applied, exits 0 within 10 s; the restart applies the rest once', async () => {
    const [db, kafka] = await Promise.all([database(), topics()]);
    const env = { DATABASE_URL: db.url, ...kafkaEnv(kafka), MONITOR_RULES_WATCH: 'false' };
    let monitor = await start('transaction-monitor', env, { label: 'f5-monitor' });
    const { transactions } = faultStream(30_000);
    const producer = await streamProducer(kafka);
    const flowing = streamTransactions(kafka, producer, transactions, 5_000);
    const url = monitor.url;
    const submitted: string[][] = [];
    const load = httpLoad(2, async () => {
      const batch: WalletTransaction[] = Array.from({ length: 20 }, () => ({
        transactionId: `http-${randomUUID()}`,
        accountId: randomUUID(),
        type: 'payment',
        amountMinor: '990',
        currency: 'EUR',
        occurredAt: new Date().toISOString(),
      }));
      const answer = await call(url, 'POST', '/v1/transactions', { transactions: batch });
      submitted.push(answer.status === 202 ? batch.map((t) => t.transactionId) : []);
      return answer;
    });
    await waitFor(async () => (await countRows(db.db, 'monitor_transactions')) >= 9_000, {
      what: 'the monitor well into the stream',
      timeoutMs: 120_000,
      intervalMs: 50,
    });
    const stop = await terminate(monitor);
    const group = physicalTopic('transaction-monitor.transactions', kafka.prefix);
    const committed = await committedOffsets(kafka.kafka, group, kafka.topic(TOPICS.walletTransactions));
    const applied = await countRows(db.db, 'monitor_transactions');
    const unsentAtExit = await unsentEvents(db);
    await load.stop();
    const around = aroundSignal(load.answers, stop.signalledAt, served(202));

    monitor = await start('transaction-monitor', env, { label: 'f5-monitor-restarted' });
    await flowing;
    await producer.disconnect();
    const accepted = submitted.flat();
    const total = transactions.length + accepted.length;
    await waitFor(async () => (await countRows(db.db, 'monitor_transactions')) >= total, {
      what: 'every transaction applied after the restart',
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    const tables = await waitFor(
      async () => {
        const t = await readMonitorTables(db.db);
        return t.outbox.unsent === 0 ? t : undefined;
      },
      { what: 'every announcement sent' },
    );
    const reapplied = await monitor.metric('monitor_transactions_duplicate_total');
    const { rows } = await sql<{ n: string }>`select count(*)::text as n from monitor_transactions
      where transaction_id = any(${accepted}::text[])`.execute(db.db);
    const announcements = await announcementsOf(kafka, tables);

    report('fault 5: SIGTERM the monitor mid-stream', {
      exitCode: stop.code,
      exitMs: Math.round(stop.exitMs),
      appliedAtExit: applied,
      committedOffsetsAtExit: committed,
      eventsUnsentAtExit: unsentAtExit,
      redeliveredAfterRestart: reapplied,
      transactions: `${tables.transactions}/${total} (distinct ${tables.distinctTransactions})`,
      httpAcceptedApplied: `${rows[0]?.n}/${accepted.length}`,
      ...around,
      flags: tables.flags.size,
      announced: `${announcements.announced.flagged} for ${announcements.wanted.announced.size} flags`,
    });
    expect(stop.code).toBe(0);
    expect(stop.exitMs).toBeLessThan(GRACE_LIMIT_MS);
    expect(applied).toBeLessThan(transactions.length);
    expect(committed).toBe(applied);
    expect(unsentAtExit).toBe(0);
    expect(reapplied).toBe(0);
    expect(tables.transactions).toBe(total);
    expect(tables.distinctTransactions).toBe(total);
    expect(Number(rows[0]?.n)).toBe(accepted.length);
    // Without a request in flight at the signal, or one sent after it, the two lines below would
    // hold whatever the monitor did.
    expect(around.inFlight).toBeGreaterThan(0);
    expect(around.inFlightServed).toBe(around.inFlight);
    expect(around.late).toBeGreaterThan(0);
    expect(around.unanswered).toBe(0);
    expect(around.lateServed).toBe(0);
    expect(announcements.announced.flagged).toBe(announcements.wanted.announced.size);
    expect(announcements.announced.flaggedTransactions.size).toBe(announcements.wanted.announced.size);
    expect((await monitor.stop()).code).toBe(0);
  });

  it('support-cases finishes the events in hand, commits exactly what it applied, exits 0 within 10 s; the restart opens the rest once', async () => {
    const [db, kafka] = await Promise.all([database(), topics()]);
    const env = { DATABASE_URL: db.url, ...kafkaEnv(kafka) };
    let cases = await start('support-cases', env, { label: 'f5-cases' });
    const locks: SecurityEvent[] = Array.from({ length: 3_000 }, () =>
      createEvent(TOPICS.securityEvents, {
        type: 'account.locked',
        version: 1,
        producer: 'auth',
        accountId: randomUUID(),
        payload: {
          reason: 'too_many_failures',
          lockedUntil: new Date(Date.now() + 900_000).toISOString(),
          hard: false,
          failures: 5,
          lockCount: 1,
          lastIp: null,
        },
      } as never),
    );
    const producer = await streamProducer(kafka);
    const topic = kafka.topic(TOPICS.securityEvents);
    const flowing = (async () => {
      for (let i = 0; i < locks.length; i += 100) {
        const records = locks.slice(i, i + 100).map((e) => ({ key: e.accountId, value: JSON.stringify(e) }));
        await producer.send({ topic, acks: -1, messages: records });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const url = cases.url;
    const opened: string[] = [];
    const load = httpLoad(2, async () => {
      const answer = await call(url, 'POST', '/v1/customer-cases', {
        accountId: randomUUID(),
        category: 'question',
        message: 'Where is my refund?',
        locale: 'en',
      });
      if (answer.status === 201) opened.push((answer.body as { caseId: string }).caseId);
      return answer;
    });
    const lockoutCases = async () =>
      Number(
        (
          await db.db
            .selectFrom('cases')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('type', '=', 'account_lockout')
            .executeTakeFirstOrThrow()
        ).n,
      );
    await waitFor(async () => (await lockoutCases()) >= 600, {
      what: 'cases opening',
      timeoutMs: 120_000,
      intervalMs: 50,
    });
    const stop = await terminate(cases);
    const group = physicalTopic('support-cases.security-events', kafka.prefix);
    const committed = await committedOffsets(kafka.kafka, group, topic);
    const inboxAtExit = Number(
      (
        await sql<{
          n: string;
        }>`select count(*)::text as n from inbox where consumer_group = 'support-cases.security-events'`.execute(db.db)
      ).rows[0]?.n,
    );
    const casesAtExit = await lockoutCases();
    const unsentAtExit = await unsentEvents(db);
    await load.stop();
    const around = aroundSignal(load.answers, stop.signalledAt, served(201));

    cases = await start('support-cases', env, { label: 'f5-cases-restarted' });
    await flowing;
    await producer.disconnect();
    await waitFor(async () => (await lockoutCases()) >= locks.length, {
      what: 'a case for every lock after the restart',
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    await new Promise((r) => setTimeout(r, 1_000));
    const perAccount = await sql<{ cases: string; accounts: string; occurrences: string }>`
      select count(*)::text as cases, count(distinct account_id)::text as accounts,
        sum(occurrence_count)::text as occurrences
      from cases where type = 'account_lockout'`.execute(db.db);
    const customerCases = await db.db
      .selectFrom('cases')
      .select('id')
      .where('id', 'in', opened.length ? opened : [randomUUID()])
      .execute();

    report('fault 5: SIGTERM support-cases mid-stream', {
      exitCode: stop.code,
      exitMs: Math.round(stop.exitMs),
      lockoutCasesAtExit: casesAtExit,
      inboxAtExit,
      committedOffsetsAtExit: committed,
      eventsUnsentAtExit: unsentAtExit,
      ...around,
      lockoutCases: perAccount.rows[0],
      customerCasesFound: `${customerCases.length}/${opened.length}`,
    });
    expect(stop.code).toBe(0);
    expect(stop.exitMs).toBeLessThan(GRACE_LIMIT_MS);
    expect(casesAtExit).toBeLessThan(locks.length);
    // Every record consumed before the exit, and only those, was applied.
    expect(committed).toBe(inboxAtExit);
    expect(unsentAtExit).toBe(0);
    expect(perAccount.rows[0]).toEqual({
      cases: String(locks.length),
      accounts: String(locks.length),
      occurrences: String(locks.length),
    });
    expect(customerCases).toHaveLength(opened.length);
    expect(around.inFlight).toBeGreaterThan(0);
    expect(around.inFlightServed).toBe(around.inFlight);
    expect(around.late).toBeGreaterThan(0);
    expect(around.unanswered).toBe(0);
    expect(around.lateServed).toBe(0);
    expect((await cases.stop()).code).toBe(0);
  });
});
