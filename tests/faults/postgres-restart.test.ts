// Fault 3 (issue 8): Postgres goes away under load, twice: a clean restart (`pg_ctl stop -m fast`,
// sessions told and closed) and a crash (`-m immediate`, recovery from the WAL). During each
// outage every service answers 503 on /readyz; afterwards they recover by themselves, and no
// request that got a success answer lost its write. The cluster is the test's own (port 55432).
import { randomUUID } from 'node:crypto';
import { TOPICS, type WalletTransaction } from '@wallet-guard/contracts';
import { openDatabase } from '@wallet-guard/db';
import { TestKafka, waitFor } from '@wallet-guard/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type Account,
  type Answer,
  call,
  FAST_ARGON2,
  register,
  signIn,
  strongPassword,
  tally,
  uniqueEmail,
} from './support/http';
import { PgCluster } from './support/pg-cluster';
import { report } from './support/report';
import { kafkaEnv, killAll, ServiceProcess } from './support/service-process';

const cluster = new PgCluster();
const kafka = new TestKafka();
const services: ServiceProcess[] = [];
const urls = { auth: '', monitor: '', cases: '' };

beforeAll(async () => {
  await kafka.createTopics();
  await cluster.create();
  urls.auth = await cluster.createDatabase('faults_auth');
  urls.monitor = await cluster.createDatabase('faults_monitor');
  urls.cases = await cluster.createDatabase('faults_cases');
});

afterAll(async () => {
  await killAll(services);
  await kafka.cleanup();
  await cluster.destroy();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A request loop that records every answer until stopped. */
function loop(worker: () => Promise<void>) {
  let running = true;
  const done = (async () => {
    while (running) {
      await worker();
      await pause(20);
    }
  })();
  return async () => {
    running = false;
    await done;
  };
}

interface Probe {
  service: keyof typeof urls;
  status: number;
  at: number;
}

it('answers 503 on /readyz while Postgres is down, recovers by itself and keeps every acknowledged write', async () => {
  const auth = await ServiceProcess.start(
    'auth',
    { DATABASE_URL: urls.auth, ...kafkaEnv(kafka), ...FAST_ARGON2 },
    { label: 'f3-auth' },
  );
  services.push(auth);
  const monitor = await ServiceProcess.start(
    'transaction-monitor',
    { DATABASE_URL: urls.monitor, ...kafkaEnv(kafka), MONITOR_RULES_WATCH: 'false' },
    { label: 'f3-monitor' },
  );
  services.push(monitor);
  const cases = await ServiceProcess.start(
    'support-cases',
    { DATABASE_URL: urls.cases, ...kafkaEnv(kafka), CASES_AUTH_URL: auth.url, CASES_MONITOR_URL: monitor.url },
    { label: 'f3-cases' },
  );
  services.push(cases);
  const base = { auth: auth.url, monitor: monitor.url, cases: cases.url };
  const lockTargets: Account[] = [];
  for (let i = 0; i < 40; i++) lockTargets.push(await register(auth.url));

  // The load: registrations, lockouts, transactions and customer cases, each answer recorded.
  const registered: { answer: Answer; email: string }[] = [];
  const submitted: { answer: Answer; ids: string[] }[] = [];
  const opened: Answer[] = [];
  const signIns: Answer[] = [];
  const probes: Probe[] = [];
  const stops = [
    loop(async () => {
      const email = uniqueEmail();
      const answer = await call(auth.url, 'POST', '/v1/accounts', { email, password: strongPassword(), locale: 'en' });
      registered.push({ answer, email });
    }),
    loop(async () => {
      const account = lockTargets.shift();
      if (!account) {
        await pause(200);
        return;
      }
      for (let i = 0; i < 5; i++) signIns.push(await signIn(auth.url, account.email, 'not-the-password-at-all'));
    }),
    loop(async () => {
      const transactions: WalletTransaction[] = Array.from({ length: 10 }, () => ({
        transactionId: `tx-${randomUUID()}`,
        accountId: randomUUID(),
        type: 'payment',
        amountMinor: '1250',
        currency: 'EUR',
        counterparty: { id: 'merchant-1', kind: 'merchant' },
        occurredAt: new Date().toISOString(),
      }));
      const answer = await call(monitor.url, 'POST', '/v1/transactions', { transactions });
      const results = (answer.body as { results?: { transactionId: string; status: string }[] } | null)?.results ?? [];
      submitted.push({ answer, ids: results.filter((r) => r.status === 'accepted').map((r) => r.transactionId) });
    }),
    loop(async () => {
      opened.push(
        await call(cases.url, 'POST', '/v1/customer-cases', {
          accountId: randomUUID(),
          category: 'question',
          message: 'How do I change my phone number?',
          locale: 'en',
        }),
      );
    }),
    loop(async () => {
      const at = performance.now();
      const answers = await Promise.all(
        (Object.keys(base) as (keyof typeof urls)[]).map(async (service) => ({
          service,
          status: (await call(base[service], 'GET', '/readyz', undefined, {}, 5_000)).status,
          at,
        })),
      );
      probes.push(...answers);
      await pause(200);
    }),
  ];

  const alive = () => {
    const gone = services.find((s) => !s.running);
    if (gone) throw new Error(`${gone.label} exited:\n${gone.lines.slice(-5).join('\n')}`);
  };
  const ready = (status: number, since: number) => (service: keyof typeof urls) =>
    probes.some((p) => p.service === service && p.at >= since && p.status === status);
  const all = ['auth', 'monitor', 'cases'] as const;
  const outages: { mode: string; notReadyAfterMs: number; readyAfterRestartMs: number; successesAfter: number }[] = [];
  for (const mode of ['fast', 'immediate'] as const) {
    await pause(4_000);
    const stoppedAt = performance.now();
    await cluster.stop(mode);
    await waitFor(
      () => {
        alive();
        return all.every(ready(503, stoppedAt));
      },
      { what: 'every service not ready', timeoutMs: 20_000 },
    );
    const notReadyAfterMs = performance.now() - stoppedAt;
    await pause(5_000);
    await cluster.start();
    const startedAt = performance.now();
    await waitFor(
      () => {
        alive();
        return all.every(ready(200, startedAt));
      },
      { what: 'every service ready again', timeoutMs: 60_000 },
    );
    const readyAfterRestartMs = performance.now() - startedAt;
    await pause(4_000);
    const successesAfter = [...registered.map((r) => r.answer), ...submitted.map((s) => s.answer), ...opened].filter(
      (a) => a.sentAt > startedAt && a.status >= 200 && a.status < 300,
    ).length;
    outages.push({ mode, notReadyAfterMs, readyAfterRestartMs, successesAfter });
  }
  for (const stop of stops) await stop();

  // Every acknowledged write is there.
  const check = async (url: string) => openDatabase({ url, poolMax: 1 });
  const [authDb, monitorDb, casesDb] = await Promise.all([check(urls.auth), check(urls.monitor), check(urls.cases)]);
  try {
    const created = registered.filter((r) => r.answer.status === 201).map((r) => r.email);
    const accounts = await authDb.db
      .selectFrom('auth_accounts')
      .select('email')
      .where('email', 'in', created.length ? created : ['-'])
      .execute();
    const accepted = submitted.filter((s) => s.answer.status === 202).flatMap((s) => s.ids);
    const applied = await waitFor(
      async () => {
        const { rows } = await sql<{ n: string }>`select count(*)::text as n from monitor_transactions
          where transaction_id = any(${accepted}::text[])`.execute(monitorDb.db);
        return Number(rows[0]?.n) === accepted.length ? Number(rows[0]?.n) : undefined;
      },
      { what: 'every accepted transaction applied', timeoutMs: 60_000, intervalMs: 250 },
    ).catch(() => -1);
    const caseIds = opened.filter((a) => a.status === 201).map((a) => (a.body as { caseId: string }).caseId);
    const cases201 = await casesDb.db
      .selectFrom('cases')
      .select('id')
      .where('id', 'in', caseIds.length ? caseIds : [randomUUID()])
      .execute();
    // Lockouts auth committed travel through its outbox and Kafka to a case each.
    const lockEvents = await authDb.db
      .selectFrom('outbox')
      .select(sql<string>`payload->>'accountId'`.as('account_id'))
      .where('topic', '=', TOPICS.securityEvents)
      .where(sql<string>`payload->>'type'`, '=', 'account.locked')
      .execute();
    const lockedAccounts = new Set(lockEvents.map((e) => e.account_id));
    const lockoutCases = await waitFor(
      async () => {
        const rows = await casesDb.db
          .selectFrom('cases')
          .select(['account_id', 'occurrence_count'])
          .where('type', '=', 'account_lockout')
          .execute();
        return rows.length >= lockedAccounts.size ? rows : undefined;
      },
      { what: 'a case per lockout', timeoutMs: 60_000, intervalMs: 250 },
    );

    report('fault 3: Postgres restarted (fast, then immediate) under load', {
      outages: outages.map((o) => ({
        mode: o.mode,
        allNotReadyWithinMs: Math.round(o.notReadyAfterMs),
        allReadyAfterStartMs: Math.round(o.readyAfterRestartMs),
        successesAfter: o.successesAfter,
      })),
      readyz: Object.fromEntries(all.map((s) => [s, tally(probes.filter((p) => p.service === s) as never)])),
      registrations: tally(registered.map((r) => r.answer)),
      registered201Found: `${accounts.length}/${created.length}`,
      transactionBatches: tally(submitted.map((s) => s.answer)),
      acceptedTransactionsApplied: `${applied}/${accepted.length}`,
      customerCases: tally(opened),
      customerCases201Found: `${cases201.length}/${caseIds.length}`,
      signIns: tally(signIns),
      lockouts: `${lockEvents.length} events, ${lockoutCases.length} cases for ${lockedAccounts.size} accounts`,
    });

    // During the outage a request fails as 503 with a code to retry on and a Retry-After, never
    // as a 500, a reset or a timeout (status 0), nor as a refusal it would not get otherwise.
    const answers = [...registered.map((r) => r.answer), ...submitted.map((s) => s.answer), ...opened, ...signIns];
    const unexpected = (list: readonly Answer[], ok: readonly number[]) =>
      tally(list.filter((a) => a.status !== 503 && !ok.includes(a.status)));
    expect(
      unexpected(
        registered.map((r) => r.answer),
        [201],
      ),
      'registrations',
    ).toEqual({});
    expect(
      unexpected(
        submitted.map((s) => s.answer),
        [202],
      ),
      'transaction batches',
    ).toEqual({});
    expect(unexpected(opened, [201]), 'customer cases').toEqual({});
    // Wrong passwords: 401; the IP's failure budget (all from 127.0.0.1) may answer 429.
    expect(unexpected(signIns, [401, 429]), 'sign-ins').toEqual({});
    const refusals = answers.filter((a) => a.status === 503);
    expect(refusals.length).toBeGreaterThan(0);
    for (const a of refusals)
      expect((a.body as { error: { code: string } }).error.code).toMatch(/_(UNAVAILABLE|BUSY)$/);
    const retryAfter = (a: Answer) => Number(a.retryAfter);
    const withoutRetryAfter = answers.filter(
      (a) => (a.status === 503 || a.status === 429) && !(Number.isInteger(retryAfter(a)) && retryAfter(a) > 0),
    );
    expect(withoutRetryAfter.map((a) => `${a.status} ${JSON.stringify(a.body)}`)).toEqual([]);
    for (const o of outages)
      expect(o.successesAfter, `requests succeed after the ${o.mode} restart`).toBeGreaterThan(10);
    expect(accounts).toHaveLength(created.length);
    expect(applied).toBe(accepted.length);
    expect(cases201).toHaveLength(caseIds.length);
    expect(lockEvents.length).toBe(lockedAccounts.size);
    expect(lockoutCases.map((c) => c.account_id).sort()).toEqual([...lockedAccounts].sort());
    expect(lockoutCases.every((c) => c.occurrence_count === 1)).toBe(true);
    expect(created.length).toBeGreaterThan(20);
    expect(accepted.length).toBeGreaterThan(100);
  } finally {
    await Promise.all([authDb.close(), monitorDb.close(), casesDb.close()]);
  }
  for (const service of services) expect((await service.stop()).code, service.label).toBe(0);
});
