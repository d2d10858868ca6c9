// Login throughput of the auth service next to the raw argon2 verify rate (same parameters, same
// concurrency, measured in the same run), then refresh latency while logins flood the hashing pool.
// Every login goes through the sign-in risk check as in production (issue 16: throughput >= 85 % of
// the raw verify rate): each account signs in with its own ClientContext (device id, IP, country,
// location), and one first sign-in per account beforehand makes that source known, so the timed
// logins are the common case, decided `allow` after the full check (stuffing counter, risk state).
// The same flood without `context` runs just before it, for comparison; figures in the README
// ("Risk-based sign-in, the hidden cost and the effect").
//
//   node --import tsx tests/bench/auth-login.ts        (BENCH_SECONDS=15 by default per phase)
//
// Needs Postgres (as the tests do). The service runs in its own process, so the load generator
// does not share its event loop.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { authConfigSchema, parseConfig } from '@wallet-guard/config';
import { createTestDatabase, freePort, prepareTemplateDatabase, TestKafka } from '@wallet-guard/testing';
import autocannon from 'autocannon';
import { PasswordHasher } from '../../services/auth/src/passwords/password-hasher';
import { rawVerifyRate, waitUntilUp } from './support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const ACCOUNTS = 40;
const REFRESH_CLIENTS = 4;
const root = fileURLToPath(new URL('../..', import.meta.url));
const headers = { 'content-type': 'application/json', 'x-api-key': 'dev-wallet-key' };

/** The wallet's context for bench account `i`: its own device, IP (one per account) and home country. */
const contextOf = (i: number) => ({
  ip: `10.77.${i >> 8}.${i & 255}`,
  deviceId: `bench-device-${i}`,
  userAgent: 'wallet-bench/1.0',
  country: 'DE',
  lat: 52.52,
  lon: 13.4,
});

interface BenchAccount {
  email: string;
  password: string;
  context: ReturnType<typeof contextOf>;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function post(url: string, path: string, body: unknown) {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

/** `withContext: false`: the body without `context` (no source to count or compare: the check's floor). */
function loginFlood(url: string, accounts: BenchAccount[], connections: number, withContext = true) {
  let next = 0;
  return autocannon({
    url,
    connections,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        path: '/v1/sessions',
        headers,
        setupRequest: (request) => {
          const account = accounts[next++ % accounts.length];
          const { context, ...credentials } = account as BenchAccount;
          return { ...request, body: JSON.stringify(withContext ? { ...credentials, context } : credentials) };
        },
      },
    ],
  });
}

/** auth_sign_in_risk_decisions_total per decision, from the service's /metrics. */
async function riskDecisions(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^auth_sign_in_risk_decisions_total\{[^}]*decision="(\w+)"[^}]*\} (\d+)/gm)) {
    counts[match[1] as string] = Number(match[2]);
  }
  return counts;
}

/** Clients each refreshing their own session in a loop until `until`; the latency of every request. */
async function refreshLoop(url: string, refreshTokens: string[], until: Promise<unknown>) {
  const latencies: number[] = [];
  const failures: number[] = [];
  let done = false;
  until.then(() => {
    done = true;
  });
  await Promise.all(
    refreshTokens.map(async (initial) => {
      let token = initial;
      while (!done) {
        const started = performance.now();
        const res = await post(url, '/v1/sessions/refresh', { refreshToken: token });
        latencies.push(performance.now() - started);
        if (res.status === 200) token = res.body.refreshToken as string;
        else failures.push(res.status);
        await new Promise((r) => setTimeout(r, 20));
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), failures };
}

await prepareTemplateDatabase();
const db = await createTestDatabase();
// BENCH_KAFKA=1: the outbox relay sends to the local broker (as in production) instead of the
// in-process bus, which does one delivery round per committed sign-in.
const kafka = process.env.BENCH_KAFKA === '1' ? new TestKafka() : undefined;
if (kafka) await kafka.createTopics();
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  NODE_ENV: 'development',
  LOG_LEVEL: 'warn',
  DATABASE_URL: db.url,
  AUTH_PORT: String(port),
  DB_POOL_MAX: '20',
  // The flood signs in with right passwords only; a custom profile lifts the nist bound on the
  // threshold, so a stray failure could never lock a bench account mid-run.
  AUTH_LOCKOUT_PROFILE: 'custom',
  AUTH_LOCKOUT_THRESHOLD: '1000000',
  ...(kafka ? { KAFKA_BROKERS: kafka.brokers.join(','), KAFKA_TOPIC_PREFIX: kafka.prefix } : {}),
};
const config = parseConfig(authConfigSchema, env);
const { concurrency, queueMax } = config.passwords.hashing;
let service: ChildProcess | undefined;
try {
  service = spawn(process.execPath, ['--import', 'tsx', 'services/auth/src/server.ts'], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  await waitUntilUp(url, 'auth', '/healthz');

  // Registered a few at a time, the first alone: its strength estimate starts the estimator's
  // thread (dictionaries of ~60 MB), and on a loaded machine requests queued behind it outlast the
  // server's 10 s socket inactivity timeout (connectionTimeout), which closes them unanswered.
  const accounts: BenchAccount[] = Array.from({ length: ACCOUNTS }, (_, i) => ({
    email: `bench.${i}.${randomBytes(3).toString('hex')}@example.com`,
    password: `Quill-${randomBytes(9).toString('base64url')}`,
    context: contextOf(i),
  }));
  let nextAccount = 0;
  for (const workers of [1, 4]) {
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (nextAccount < accounts.length) {
          const account = accounts[nextAccount++] as BenchAccount;
          const res = await post(url, '/v1/accounts', { email: account.email, password: account.password });
          if (res.status !== 201) throw new Error(`registration failed: ${res.status}`);
          if (workers === 1) return;
        }
      }),
    );
  }
  // First sign-in from each account's own source (new device, IP and country: allowed, 40 points
  // under the shipped policy's step-up at 50), then a second one that must be a plain `allow` with
  // tokens: what every timed login below is.
  for (let round = 0; round < 2; round++) {
    for (const account of accounts) {
      const res = await post(url, '/v1/sessions', account);
      if (res.status !== 200 || !res.body.accessToken) {
        throw new Error(`warm-up sign-in ${round + 1} not allowed: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
  }
  const decisionsBefore = await riskDecisions(url);

  const hasher = await PasswordHasher.create(config.passwords.argon2, config.passwords.peppers);
  // Raw rate measured right before and right after the login phase: on a shared machine the load
  // drifts, and the mean of the two brackets what the logins competed with.
  // The same flood without `context` first, for comparison (the risk check still runs, with nothing
  // to count), then the production-like one the target is about.
  const rawBefore = await rawVerifyRate(hasher, concurrency, SECONDS / 2);
  const bare = await loginFlood(url, accounts, concurrency * 4, false);
  const decisionsBetween = await riskDecisions(url);
  const logins = await loginFlood(url, accounts, concurrency * 4);
  const rawAfter = await rawVerifyRate(hasher, concurrency, SECONDS / 2);
  const raw = (rawBefore + rawAfter) / 2;
  const loginRate = logins['2xx'] / (logins.duration || SECONDS);
  const bareRate = bare['2xx'] / (bare.duration || SECONDS);

  const sessions = await Promise.all(accounts.slice(0, REFRESH_CLIENTS).map((a) => post(url, '/v1/sessions', a)));
  // One request per place (running or waiting): the pool stays full without a storm of 503s.
  const flood = loginFlood(url, accounts, concurrency + queueMax);
  const refresh = await refreshLoop(
    url,
    sessions.map((s) => s.body.refreshToken as string),
    flood,
  );
  const flooded = await flood;

  const decisionsAfter = await riskDecisions(url);
  const decided = (d: string) => (decisionsAfter[d] ?? 0) - (decisionsBetween[d] ?? 0);
  const decidedBare = (d: string) => (decisionsBetween[d] ?? 0) - (decisionsBefore[d] ?? 0);
  const { memoryCost, timeCost, parallelism } = config.passwords.argon2;
  const lines = [
    `auth login benchmark (${availableParallelism()} cores, ${SECONDS} s per phase, events via ${kafka ? 'Kafka relay' : 'in-process bus'})`,
    `argon2id m=${memoryCost} KiB t=${timeCost} p=${parallelism}; hashing pool: ${concurrency} at once, queue ${queueMax}`,
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (the machine is shared)`,
    `raw argon2 verify rate (${concurrency} parallel, in-process): ${raw.toFixed(1)}/s (${rawBefore.toFixed(1)} before, ${rawAfter.toFixed(1)} after the two login phases)`,
    `login throughput (POST /v1/sessions with the risk check, ${concurrency * 4} connections): ${loginRate.toFixed(1)}/s (non-2xx: ${logins.non2xx}, errors ${logins.errors}, timeouts ${logins.timeouts})`,
    `login throughput = ${((100 * loginRate) / raw).toFixed(1)}% of raw argon2 verify (target >= 85%)`,
    `  risk decisions in that phase (auth_sign_in_risk_decisions_total): allow ${decided('allow')}, step_up ${decided('step_up')}, deny ${decided('deny')}`,
    `same flood without context, before it: ${bareRate.toFixed(1)}/s = ${((100 * bareRate) / raw).toFixed(1)}% of raw (non-2xx: ${bare.non2xx}, errors ${bare.errors}, timeouts ${bare.timeouts}; decisions: allow ${decidedBare('allow')}, step_up ${decidedBare('step_up')}, deny ${decidedBare('deny')})`,
    `during a login flood of ${concurrency + queueMax} connections (${flooded['2xx']} signed in, ${flooded.non2xx} refused at once):`,
    `  POST /v1/sessions/refresh p50 ${percentile(refresh.latencies, 50).toFixed(1)} ms, p99 ${percentile(refresh.latencies, 99).toFixed(1)} ms, max ${(refresh.latencies.at(-1) ?? NaN).toFixed(1)} ms over ${refresh.latencies.length} requests (${refresh.failures.length} failed)`,
  ];
  console.log(lines.join('\n'));
} finally {
  service?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1000));
  await db.drop();
  await kafka?.cleanup();
}
