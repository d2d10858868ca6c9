// Fault 2 (issue 8): the Kafka broker stops for 60 s while sign-ins and lockouts continue. Auth
// keeps answering (its events wait in its outbox); once the broker is back, every lockout event
// reaches support-cases and opens its one case: nothing lost, nothing doubled.
import { TOPICS } from '@wallet-guard/contracts';
import { createTestDatabase, type TestDatabase, TestKafka, waitFor } from '@wallet-guard/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FaultBroker } from './support/fault-broker';
import { type Account, type Answer, call, FAST_ARGON2, register, signIn, tally } from './support/http';
import { report } from './support/report';
import { kafkaEnv, killAll, ServiceProcess } from './support/service-process';

const OUTAGE_MS = 60_000;
const broker = new FaultBroker();
const kafka = new TestKafka();
const db: { auth?: TestDatabase; cases?: TestDatabase } = {};
const services: ServiceProcess[] = [];

beforeAll(async () => {
  await kafka.createTopics();
  db.auth = await createTestDatabase({ poolMax: 2 });
  db.cases = await createTestDatabase({ poolMax: 2 });
});

afterAll(async () => {
  await killAll(services);
  await broker.start(); // the next test file needs it, whatever happened here
  await kafka.cleanup();
  await db.auth?.drop();
  await db.cases?.drop();
});

const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - performance.now())));

/** Five wrong passwords lock the account; a sixth try with the right one is refused too. */
async function lockOut(authUrl: string, account: Account, answers: Answer[]): Promise<void> {
  for (let i = 0; i < 5; i++) answers.push(await signIn(authUrl, account.email, 'not-the-password-at-all'));
  const refused = await signIn(authUrl, account.email, account.password);
  answers.push(refused);
  expect(refused.status, 'a locked account signs in with its right password').toBe(401);
}

/** auth.security-events.v1 events auth committed, from its outbox (the source of truth). */
async function authEvents(auth: TestDatabase) {
  const rows = await auth.db
    .selectFrom('outbox')
    .select(['event_id', 'payload', 'published_at'])
    .where('producer', '=', 'auth')
    .where('topic', '=', TOPICS.securityEvents)
    .execute();
  return rows.map((r) => ({
    eventId: r.event_id,
    type: (r.payload as { type: string }).type,
    accountId: (r.payload as { accountId: string }).accountId,
    published: r.published_at !== null,
  }));
}

async function lockoutCases(cases: TestDatabase) {
  const rows = await cases.db
    .selectFrom('cases')
    .select(['account_id', 'occurrence_count'])
    .where('type', '=', 'account_lockout')
    .execute();
  const byAccount = new Map<string, number[]>();
  for (const r of rows) byAccount.set(r.account_id, [...(byAccount.get(r.account_id) ?? []), r.occurrence_count]);
  return byAccount;
}

it('keeps auth answering through a 60 s broker outage and opens one case per lockout afterwards', async () => {
  const authDb = db.auth as TestDatabase;
  const casesDb = db.cases as TestDatabase;
  const auth = await ServiceProcess.start(
    'auth',
    { DATABASE_URL: authDb.url, ...kafkaEnv(kafka), ...FAST_ARGON2, AUTH_LOCKOUT_SECONDS: '2' },
    { label: 'f2-auth' },
  );
  services.push(auth);
  const cases = await ServiceProcess.start(
    'support-cases',
    { DATABASE_URL: casesDb.url, ...kafkaEnv(kafka), CASES_AUTH_URL: auth.url },
    { label: 'f2-cases' },
  );
  services.push(cases);

  const accounts: Account[] = [];
  for (let i = 0; i < 45; i++) accounts.push(await register(auth.url));
  const [before, during, bystanders] = [accounts.slice(0, 5), accounts.slice(5, 35), accounts.slice(35)];
  const lockedTwice = new Set(during.slice(0, 8).map((a) => a.accountId));

  // The pipeline works before the outage.
  const warmUp: Answer[] = [];
  for (const account of before) await lockOut(auth.url, account, warmUp);
  await waitFor(async () => (await lockoutCases(casesDb)).size === before.length, {
    what: 'cases for the locks before the outage',
  });

  await broker.stop();
  const stoppedAt = performance.now();
  const answers: Answer[] = [];
  const readiness: Answer[] = [];
  let outage = true;
  const probing = (async () => {
    while (outage) {
      readiness.push(await call(auth.url, 'GET', '/readyz', undefined, {}, 5_000));
      await new Promise((r) => setTimeout(r, 1_000));
    }
  })();
  // Lockouts spread over the outage, each followed by a bystander's good sign-in; eight
  // accounts are locked a second time once their first (2 s) lock has expired.
  const spacing = (OUTAGE_MS - 10_000) / during.length;
  for (const [i, account] of during.entries()) {
    await sleepUntil(stoppedAt + i * spacing);
    await lockOut(auth.url, account, answers);
    const bystander = bystanders[i % bystanders.length] as Account;
    const ok = await signIn(auth.url, bystander.email, bystander.password);
    answers.push(ok);
    expect(ok.status, 'a good sign-in during the outage').toBe(200);
  }
  for (const account of during.filter((a) => lockedTwice.has(a.accountId))) {
    await lockOut(auth.url, account, answers);
  }
  const brokerStillDown = broker.pid() === undefined;
  await sleepUntil(stoppedAt + OUTAGE_MS);
  outage = false;
  await probing;
  const publishedDuringOutage = (await authEvents(authDb)).filter((e) => e.published).length;

  await broker.start();
  const restartedAt = performance.now();
  const locked = [...before, ...during];
  const events = await waitFor(
    async () => {
      const all = await authEvents(authDb);
      return all.every((e) => e.published) ? all : undefined;
    },
    { what: "auth's outbox drained", timeoutMs: 120_000, intervalMs: 250 },
  );
  const lockEvents = events.filter((e) => e.type === 'account.locked');
  const expectedOccurrences = new Map<string, number>();
  for (const e of lockEvents) expectedOccurrences.set(e.accountId, (expectedOccurrences.get(e.accountId) ?? 0) + 1);
  const caseRows = await waitFor(
    async () => {
      const byAccount = await lockoutCases(casesDb);
      const total = [...byAccount.values()].flat().reduce((s, n) => s + n, 0);
      return total >= lockEvents.length ? byAccount : undefined;
    },
    { what: 'every lockout on a case', timeoutMs: 120_000, intervalMs: 250 },
  );
  const recoveredMs = performance.now() - restartedAt;
  const inbox = await sql<{ total: string; distinct: string }>`
    select count(*)::text as total, count(distinct event_id)::text as distinct from inbox
    where consumer_group = 'support-cases.security-events'`.execute(casesDb.db);

  // What is on the broker: every event auth committed, once (committed records only).
  const onTopic = await kafka.collect(TOPICS.securityEvents);
  const wanted = new Set(events.map((e) => e.eventId));
  await waitFor(() => new Set(onTopic.map((m) => m.json<{ eventId: string }>().eventId)).size >= wanted.size, {
    what: 'every event read back from the broker',
    timeoutMs: 60_000,
  });
  await new Promise((r) => setTimeout(r, 2_000));
  const topicIds = onTopic.map((m) => m.json<{ eventId: string }>().eventId);

  const casesPerAccount = locked.map((a) => caseRows.get(a.accountId)?.length ?? 0);
  report('fault 2: broker stopped 60 s during sign-ins and lockouts', {
    outageSeconds: OUTAGE_MS / 1000,
    signInsDuringOutage: answers.length,
    answers: tally(answers),
    slowestMs: Math.round(Math.max(...answers.map((a) => a.ms))),
    authReadyzDuringOutage: tally(readiness),
    lockEvents: `${lockEvents.length} (${locked.length} accounts, ${lockedTwice.size} locked twice)`,
    eventsPublishedDuringOutage: publishedDuringOutage,
    securityEvents: events.length,
    onTopic: `${topicIds.length} records, ${new Set(topicIds).size} distinct`,
    lockoutCases: `${[...caseRows.values()].flat().length} for ${caseRows.size} accounts`,
    casesInboxed: `${inbox.rows[0]?.total} (distinct ${inbox.rows[0]?.distinct})`,
    lastCaseSecondsAfterBrokerBack: (recoveredMs / 1000).toFixed(1),
  });

  expect(brokerStillDown).toBe(true);
  // /readyz says 503 while the broker is down: every probe once auth had 10 s to notice.
  const settledProbes = readiness.filter((a) => a.sentAt > stoppedAt + 10_000);
  expect(settledProbes.length).toBeGreaterThanOrEqual(10); // a probe takes about 3 s (timeout and pause)
  expect(tally(settledProbes)).toEqual({ 503: settledProbes.length });
  expect(
    settledProbes.every((a) => (a.body as { checks?: { kafka?: { ok: boolean } } }).checks?.kafka?.ok === false),
  ).toBe(true);
  // Auth kept answering: every sign-in got its ordinary answer during the outage.
  expect(answers.every((a) => a.status === 401 || a.status === 200)).toBe(true);
  expect(answers.length).toBe(during.length * 7 + lockedTwice.size * 6);
  // Each lock is one event, and each locked account has exactly one case counting all its locks.
  expect(lockEvents).toHaveLength(locked.length + lockedTwice.size);
  for (const account of locked) {
    expect(caseRows.get(account.accountId), account.accountId).toEqual([lockedTwice.has(account.accountId) ? 2 : 1]);
  }
  expect(casesPerAccount.every((n) => n === 1)).toBe(true);
  expect([...caseRows.keys()].every((id) => expectedOccurrences.has(id))).toBe(true);
  // Nothing lost, nothing doubled on the way: each event once on the broker and once in the inbox.
  expect(topicIds.filter((id) => wanted.has(id))).toHaveLength(wanted.size);
  expect(new Set(topicIds).size).toBe(topicIds.length);
  expect(Number(inbox.rows[0]?.total)).toBe(events.length);
  expect(Number(inbox.rows[0]?.distinct)).toBe(events.length);
  expect((await auth.stop()).code).toBe(0);
  expect((await cases.stop()).code).toBe(0);
});
