// A login flood at five times the hashing capacity, against the three services running as in
// production (each its own process and database, events through Kafka when a broker answers).
// Reports how fast logins beyond capacity are refused (503 with Retry-After; target: within
// 50 ms) and the latency of other endpoints meanwhile (target: p99 under 50 ms). Figures, not
// assertions: it prints and exits 0.
//
//   node --import tsx tests/bench/login-flood.ts     (BENCH_SECONDS=20 for the flood, BENCH_KAFKA=0 without a broker)
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { authConfigSchema, casesConfigSchema, parseConfig } from '@wallet-guard/config';
import { signDevAgentToken } from '@wallet-guard/support-cases/dev-agent-token';
import {
  createTestDatabase,
  freePort,
  prepareTemplateDatabase,
  TEST_KAFKA_BROKERS,
  type TestDatabase,
  TestKafka,
} from '@wallet-guard/testing';
import autocannon from 'autocannon';
import { Kafka, logLevel } from 'kafkajs';
import { PasswordHasher } from '../../services/auth/src/passwords/password-hasher';
import { rawVerifyRate, waitUntilUp } from './support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const BASELINE_SECONDS = 5;
const FLOOD_FACTOR = 5;
const ACCOUNTS = 50;
const root = fileURLToPath(new URL('../..', import.meta.url));
const WALLET = { 'content-type': 'application/json', 'x-api-key': 'dev-wallet-key' };
const INTERNAL = { 'x-api-key': 'dev-internal-key' };

async function brokerAnswers(): Promise<boolean> {
  if (process.env.BENCH_KAFKA === '0') return false;
  const admin = new Kafka({ brokers: TEST_KAFKA_BROKERS, logLevel: logLevel.NOTHING, retry: { retries: 1 } }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

interface Stats {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}

const show = (s: Stats) =>
  `p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms (${s.count} requests)`;

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

interface Probe {
  name: string;
  /** One request; returns its status. Keeps its own state (a refresh token rotates). */
  send: () => Promise<number>;
}

/** Each probe in its own loop (a request, 20 ms pause) until `until` settles: latencies per probe. */
async function runProbes(probes: Probe[], until: Promise<unknown>) {
  let done = false;
  until.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  const results = new Map<string, { latencies: number[]; failures: number }>();
  await Promise.all(
    probes.map(async (probe) => {
      const result = { latencies: [] as number[], failures: 0 };
      results.set(probe.name, result);
      while (!done) {
        const started = performance.now();
        const status = await probe.send().catch(() => 0);
        result.latencies.push(performance.now() - started);
        if (status < 200 || status >= 300) result.failures += 1;
        await new Promise((r) => setTimeout(r, 20));
      }
    }),
  );
  return results;
}

const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

await prepareTemplateDatabase();
const useKafka = await brokerAnswers();
const kafka = useKafka ? new TestKafka() : undefined;
if (kafka) await kafka.createTopics();
const dbs: TestDatabase[] = [];
const children: ChildProcess[] = [];
const loadBefore = loadAverage();
try {
  const [authPort, monitorPort, casesPort] = [await freePort(), await freePort(), await freePort()];
  const urls = {
    auth: `http://127.0.0.1:${authPort}`,
    monitor: `http://127.0.0.1:${monitorPort}`,
    cases: `http://127.0.0.1:${casesPort}`,
  };
  const common = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    ...(kafka ? { KAFKA_BROKERS: kafka.brokers.join(','), KAFKA_TOPIC_PREFIX: kafka.prefix } : {}),
  };
  const start = async (name: string, script: string, env: Record<string, string>) => {
    const db = await createTestDatabase();
    dbs.push(db);
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: root,
      env: { ...common, DATABASE_URL: db.url, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return { name, child };
  };
  const authEnv = {
    AUTH_PORT: String(authPort),
    DB_POOL_MAX: '20',
    AUTH_LOCKOUT_PROFILE: 'custom',
    AUTH_LOCKOUT_THRESHOLD: '1000000',
  };
  await start('auth', 'services/auth/src/server.ts', authEnv);
  await start('transaction-monitor', 'services/transaction-monitor/src/server.ts', {
    MONITOR_PORT: String(monitorPort),
    MONITOR_AUTH_URL: urls.auth,
  });
  await start('support-cases', 'services/support-cases/src/server.ts', {
    CASES_PORT: String(casesPort),
    CASES_AUTH_URL: urls.auth,
    CASES_MONITOR_URL: urls.monitor,
  });
  await Promise.all(Object.entries(urls).map(([name, url]) => waitUntilUp(url, name)));

  // Data for every route to read: accounts with sessions, transactions with flags, a few cases.
  // One at a time: a burst would overflow the hashing queue (503) before the flood even starts.
  const accounts: { email: string; password: string; accountId: string }[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const account = {
      email: `flood.${i}.${randomBytes(3).toString('hex')}@example.com`,
      password: `Quill-${randomBytes(9).toString('base64url')}`,
    };
    const res = await call(`${urls.auth}/v1/accounts`, {
      method: 'POST',
      headers: WALLET,
      body: JSON.stringify(account),
    });
    if (res.status !== 201) throw new Error(`registration failed: ${res.status}`);
    accounts.push({ ...account, accountId: res.body.accountId as string });
  }
  const transactions = accounts.flatMap((a) =>
    Array.from({ length: 4 }, (_, i) => ({
      transactionId: `tx-${randomUUID()}`,
      accountId: a.accountId,
      type: 'transfer_out',
      amountMinor: String(i === 3 ? 900_000 : 1_500),
      currency: 'EUR',
      balanceAfterMinor: '1000',
      counterparty: { id: `IBAN-${i}`, kind: 'bank_account' },
      occurredAt: new Date(Date.now() - (4 - i) * 60_000).toISOString(),
    })),
  );
  await call(`${urls.monitor}/v1/transactions`, {
    method: 'POST',
    headers: WALLET,
    body: JSON.stringify({ transactions }),
  });
  const customerCases = accounts.slice(0, 10).map((a) =>
    call(`${urls.cases}/v1/customer-cases`, {
      method: 'POST',
      headers: WALLET,
      body: JSON.stringify({
        accountId: a.accountId,
        category: 'question',
        message: 'Where is my money?',
        locale: 'en',
      }),
    }),
  );
  await Promise.all(customerCases);

  const sessions = await Promise.all(
    accounts.slice(0, 2).map(async (a) => {
      const res = await call(`${urls.auth}/v1/sessions`, {
        method: 'POST',
        headers: WALLET,
        body: JSON.stringify({ email: a.email, password: a.password }),
      });
      return res.body as { accessToken: string; refreshToken: string };
    }),
  );
  const { issuer, audience } = parseConfig(casesConfigSchema, { NODE_ENV: 'development' }).agentTokens;
  const agent = await signDevAgentToken({ agent: 'bench-agent', role: 'agent', issuer, audience });
  let refreshToken = sessions[0]?.refreshToken as string;
  const probes: Probe[] = [
    {
      name: 'auth POST /v1/sessions/refresh',
      send: async () => {
        const res = await call(`${urls.auth}/v1/sessions/refresh`, {
          method: 'POST',
          headers: WALLET,
          body: JSON.stringify({ refreshToken }),
        });
        if (res.status === 200) refreshToken = res.body.refreshToken as string;
        return res.status;
      },
    },
    {
      name: 'auth POST /v1/tokens/introspect',
      send: async () =>
        (
          await call(`${urls.auth}/v1/tokens/introspect`, {
            method: 'POST',
            headers: WALLET,
            body: JSON.stringify({ token: sessions[1]?.accessToken }),
          })
        ).status,
    },
    {
      name: 'auth GET /.well-known/jwks.json',
      send: async () => (await call(`${urls.auth}/.well-known/jwks.json`)).status,
    },
    {
      name: 'monitor GET /v1/flags?limit=50',
      send: async () => (await call(`${urls.monitor}/v1/flags?limit=50`, { headers: INTERNAL })).status,
    },
    {
      name: 'cases GET /v1/cases?limit=50',
      send: async () =>
        (await call(`${urls.cases}/v1/cases?limit=50`, { headers: { authorization: `Bearer ${agent}` } })).status,
    },
  ];

  // Hashing capacity: the raw verify rate of the pool's width, same parameters, on this machine now.
  const config = parseConfig(authConfigSchema, { ...common, ...authEnv });
  const { concurrency, queueMax } = config.passwords.hashing;
  const hasher = await PasswordHasher.create(config.passwords.argon2, config.passwords.peppers);
  const capacity = await rawVerifyRate(hasher, concurrency, 5);
  const rate = Math.round(FLOOD_FACTOR * capacity);

  const quiet = await runProbes(probes, new Promise((r) => setTimeout(r, BASELINE_SECONDS * 1000)));

  // The flood: one request per connection per second, so a slow answer never lowers the rate.
  const byStatus = new Map<number, number[]>();
  let withRetryAfter = 0;
  let next = 0;
  let instance: autocannon.Instance | undefined;
  const flood = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: urls.auth,
        connections: rate,
        overallRate: rate,
        duration: SECONDS,
        requests: [
          {
            method: 'POST',
            path: '/v1/sessions',
            headers: WALLET,
            setupRequest: (request) => {
              const a = accounts[next++ % accounts.length] as { email: string; password: string };
              return { ...request, body: JSON.stringify({ email: a.email, password: a.password }) };
            },
            onResponse: (status, _body, _context, headers) => {
              if (status === 503 && headers?.['retry-after']) withRetryAfter += 1;
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  instance?.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    const list = byStatus.get(status) ?? [];
    list.push(ms);
    byStatus.set(status, list);
  });
  const during = await runProbes(probes, flood);
  const result = await flood;
  const loadAfter = loadAverage();

  const refused = stats(byStatus.get(503) ?? []);
  const signedIn = stats(byStatus.get(200) ?? []);
  const others = [...byStatus.entries()].filter(([s]) => s !== 200 && s !== 503);
  const sent = [...byStatus.values()].reduce((n, l) => n + l.length, 0);
  const { memoryCost, timeCost, parallelism } = config.passwords.argon2;
  const lines = [
    `login flood benchmark: ${availableParallelism()} cores; three services in their own processes, events via ${kafka ? 'Kafka' : 'each process alone (no broker)'}`,
    `load average (1/5/15 min): ${loadBefore} before, ${loadAfter} after (the machine is shared)`,
    `argon2id m=${memoryCost} KiB t=${timeCost} p=${parallelism}; hashing pool ${concurrency} at once, queue ${queueMax}`,
    `hashing capacity (raw verify rate, ${concurrency} parallel): ${capacity.toFixed(1)}/s; flood target ${FLOOD_FACTOR}x = ${rate}/s for ${SECONDS} s`,
    `flood sent ${sent} logins (${(sent / SECONDS).toFixed(1)}/s): ${signedIn.count} signed in (${(signedIn.count / SECONDS).toFixed(1)}/s), ` +
      `${refused.count} answered 503 (${withRetryAfter} with Retry-After), ${others.map(([s, l]) => `${l.length}x ${s}`).join(', ') || 'nothing else'}; autocannon errors ${result.errors}, timeouts ${result.timeouts}`,
    `  503 answers: ${show(refused)}   (target: within 50 ms)`,
    `  200 answers: ${show(signedIn)}`,
    'other endpoints, quiet (baseline) -> during the flood (target: p99 under 50 ms):',
    ...probes.map((p) => {
      const q = quiet.get(p.name);
      const d = during.get(p.name);
      const failed = (d?.failures ?? 0) + (q?.failures ?? 0);
      return `  ${p.name.padEnd(34)} ${show(stats(q?.latencies ?? []))} -> ${show(stats(d?.latencies ?? []))}${failed ? ` [${failed} failed]` : ''}`;
    }),
  ];
  console.log(lines.join('\n'));
} finally {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1500));
  for (const db of dbs) await db.drop().catch(() => undefined);
  await kafka?.cleanup();
}
