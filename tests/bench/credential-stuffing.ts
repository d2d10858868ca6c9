// Credential-stuffing simulation (issue 16): 10,000 password sign-ins against the real auth service
// (its own process, real Postgres; events on the in-process bus, or Kafka with BENCH_KAFKA=1),
// mixing real users and attackers replaying a leaked list, run twice on fresh databases with the
// same seeded attempts: BEFORE, under a neutral risk policy (every weight 0: the decision is always
// `allow`, the service as it was before risk-based sign-in), and AFTER, under the shipped
// services/auth/risk-policy.yaml.
//
//   node --import tsx tests/bench/credential-stuffing.ts
//     (defaults BENCH_ATTEMPTS=10000 BENCH_SEED=16 BENCH_CONCURRENCY=6 BENCH_USERS=500; the list scales with the users)
//
// Population (deterministic from BENCH_SEED):
// - 500 real users, each with a home device, IP and country (with a location); users 0-119 sit six
//   to an office NAT address (a shared IP sees six accounts, not dozens). Each signs in once from
//   home before the run (the history an established account has). Their attempts (a quarter of
//   the total): 80 % from home, 10 % home device on a new mobile IP, 5 % a new device and IP in
//   the home country, 2 % travelling (usual device, new IP and country, no location: the run
//   compresses hours into minutes, and a real flight is slower than the impossible-travel limit),
//   3 % a typo first (wrong password, then the right one: two attempts).
// - A leaked list of 2,500 entries: 400 of the real users (15 % of those with the password they
//   reuse, the rest with an old or wrong one) and 2,100 e-mails with no account here. Three attack
//   sources replay the whole list each (the other three quarters of the attempts):
//   A. 3 datacenter IPv4 addresses, a fresh device id per attempt, country NL;
//   B. rotating addresses inside two IPv6 /64s, a fresh device id per attempt, country US;
//   C. one device id behind 200 residential proxies in the victim's own country (an IP sees a few
//      accounts only).
// Settings: argon2 at its cheapest (m=1 MiB, t=1) so 20,000 sign-ins fit a short run (decisions do
// not depend on the hash cost; tests/bench/auth-login.ts measures that); the default lockout profile
// (nist: 5 failures per counter, the third lock hard): every account is tried at most 3 times by
// the attackers (once per source), so a per-account lock never refuses an attacker's right password
// before the risk check sees it, and the result shows the risk engine, not the lockout; the per-IP
// failure throttle (AUTH_IP_FAILURES_PER_MINUTE, 30 by default) is lifted in both runs, because
// the run compresses an attack of hours into minutes and source A would hit it by that compression
// alone: what it would have refused at its default over the same attempts is counted separately.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ClientContext, ipThrottleKey } from '@wallet-guard/contracts';
import { createTestDatabase, freePort, prepareTemplateDatabase, TestKafka } from '@wallet-guard/testing';
import { sql } from 'kysely';
import { parse, stringify } from 'yaml';
import { waitUntilUp } from './support';

const ATTEMPTS = Number(process.env.BENCH_ATTEMPTS ?? 10_000);
const SEED = Number(process.env.BENCH_SEED ?? 16);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 6);
const USERS = Number(process.env.BENCH_USERS ?? 500);
const LEAKED_USERS = Math.round(USERS * 0.8);
const LEAKED_UNKNOWN = Math.round(USERS * 4.2);
const REUSED_SHARE = 0.15;
const IP_FAILURES_PER_MINUTE = 30; // the default the throttle estimate uses
const root = fileURLToPath(new URL('../..', import.meta.url));
const shippedPolicy = join(root, 'services/auth/risk-policy.yaml');
const headers = { 'content-type': 'application/json', 'x-api-key': 'dev-wallet-key' };

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(SEED);
const pick = (n: number) => Math.floor(rand() * n);
const hex = (n: number) => n.toString(16);
/** Fisher-Yates with the seeded generator. */
function shuffle<T>(list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [list[i], list[j]] = [list[j] as T, list[i] as T];
  }
  return list;
}
const token = () => hex(Math.floor(rand() * 2 ** 32)).padStart(8, '0');

type Actor = 'user' | 'A' | 'B' | 'C';
interface Attempt {
  actor: Actor;
  /** What the attempt is, for the report: home, mobile_ip, new_device, travel, typo, or the leaked entry's kind. */
  kind: string;
  email: string;
  password: string;
  rightPassword: boolean;
  context: ClientContext;
}

const HOMES = [
  { country: 'DE', lat: 52.52, lon: 13.4 },
  { country: 'FR', lat: 48.86, lon: 2.35 },
  { country: 'GB', lat: 51.51, lon: -0.13 },
  { country: 'ES', lat: 40.42, lon: -3.7 },
  { country: 'IT', lat: 41.9, lon: 12.5 },
  { country: 'PL', lat: 52.23, lon: 21.01 },
];
const users = Array.from({ length: USERS }, (_, i) => {
  const home = HOMES[i % HOMES.length] as (typeof HOMES)[number];
  return {
    email: `user.${i}@example.org`,
    password: `Quill-${token()}-${token()}`,
    home,
    deviceId: `phone-${i}-${token()}`,
    ip: i < 120 ? `192.0.2.${Math.floor(i / 6) + 1}` : `100.${64 + (i >> 8)}.${i & 255}.${1 + pick(250)}`,
  };
});
const homeContext = (u: (typeof users)[number]): ClientContext => ({
  ip: u.ip,
  deviceId: u.deviceId,
  userAgent: 'sim-user',
  country: u.home.country,
  lat: u.home.lat,
  lon: u.home.lon,
});

// The leaked list: entries for 400 real users (15 % with their real, reused password) and unknown e-mails.
const leaked: { email: string; password: string; kind: string; country: string }[] = [];
for (const i of shuffle([...users.keys()]).slice(0, LEAKED_USERS)) {
  const u = users[i] as (typeof users)[number];
  const reused = rand() < REUSED_SHARE;
  leaked.push({
    email: u.email,
    password: reused ? u.password : `Old-${token()}`,
    kind: reused ? 'reused' : 'wrong',
    country: u.home.country,
  });
}
for (let n = 0; n < LEAKED_UNKNOWN; n++) {
  leaked.push({ email: `leak.${n}.${token()}@example.net`, password: `Pw-${token()}`, kind: 'unknown', country: 'DE' });
}
shuffle(leaked);

const attackerContext = (actor: Exclude<Actor, 'user'>, victimCountry: string): ClientContext => {
  if (actor === 'A') {
    return { ip: `198.51.100.${10 + pick(3)}`, deviceId: `dev-${token()}`, userAgent: 'sim-A', country: 'NL' };
  }
  if (actor === 'B') {
    const ip = `2001:db8:${hex(0xa0 + pick(2))}:1:${hex(1 + pick(0xfffe))}:${hex(1 + pick(0xfffe))}:${hex(pick(0xffff))}:${hex(1 + pick(0xfffe))}`;
    return { ip, deviceId: `dev-${token()}`, userAgent: 'sim-B', country: 'US' };
  }
  return { ip: `203.0.113.${1 + pick(200)}`, deviceId: 'emulator-7f3a', userAgent: 'sim-C', country: victimCountry };
};

/** The run's attempts: three quarters the three attack sources replaying the list, a quarter real users, shuffled. */
function buildAttempts(): Attempt[] {
  const attackShare = Math.round(ATTEMPTS * 0.75);
  const perSource = Math.floor(attackShare / 3);
  const attacks: Attempt[][] = (['A', 'B', 'C'] as const).map((actor) =>
    Array.from({ length: perSource }, (_, n) => {
      const entry = leaked[n % leaked.length] as (typeof leaked)[number];
      return {
        actor,
        kind: entry.kind,
        email: entry.email,
        password: entry.password,
        rightPassword: entry.kind === 'reused',
        context: attackerContext(actor, entry.country),
      };
    }),
  );
  const real: Attempt[] = [];
  while (real.length < ATTEMPTS - perSource * 3) {
    const u = users[pick(USERS)] as (typeof users)[number];
    const roll = rand();
    const ok = { actor: 'user' as const, email: u.email, password: u.password, rightPassword: true };
    if (roll < 0.8) real.push({ ...ok, kind: 'home', context: homeContext(u) });
    else if (roll < 0.9) {
      real.push({
        ...ok,
        kind: 'mobile_ip',
        context: { ...homeContext(u), ip: `100.100.${pick(250)}.${1 + pick(250)}` },
      });
    } else if (roll < 0.95) {
      const context = { ...homeContext(u), ip: `100.101.${pick(250)}.${1 + pick(250)}`, deviceId: `new-${token()}` };
      real.push({ ...ok, kind: 'new_device', context });
    } else if (roll < 0.97) {
      const away = HOMES[(HOMES.indexOf(u.home) + 1 + pick(HOMES.length - 1)) % HOMES.length] as (typeof HOMES)[number];
      const context = {
        ip: `100.102.${pick(250)}.${1 + pick(250)}`,
        deviceId: u.deviceId,
        userAgent: 'sim-user',
        country: away.country,
      };
      real.push({ ...ok, kind: 'travel', context });
    } else if (real.length < ATTEMPTS - perSource * 3 - 1) {
      // A typo, then the right password: kept together in the shuffle (one entry, two attempts).
      real.push({ ...ok, kind: 'typo', password: `${u.password}x`, rightPassword: false, context: homeContext(u) });
      real.push({ ...ok, kind: 'typo_retry', context: homeContext(u) });
    }
  }
  // Shuffle attacks and real attempts together, each stream keeping its own order.
  const streams = [...attacks, real].map((list) => ({ list, next: 0 }));
  const out: Attempt[] = [];
  for (;;) {
    const open = streams.filter((s) => s.next < s.list.length);
    if (open.length === 0) return out;
    const total = open.reduce((sum, s) => sum + s.list.length - s.next, 0);
    // The next attempt comes from a stream in proportion to what it has left.
    let r = pick(total);
    let stream = open[0] as (typeof open)[number];
    for (const s of open) {
      stream = s;
      r -= s.list.length - s.next;
      if (r < 0) break;
    }
    out.push(stream.list[stream.next++] as Attempt);
  }
}

interface Outcome {
  status: number;
  result: 'session' | 'step_up' | 'refused' | 'throttled' | 'busy' | 'other';
  at: number;
}

async function post(url: string, path: string, body: unknown) {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

async function runOnce(label: string, policyFile: string, attempts: Attempt[]) {
  const db = await createTestDatabase();
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
    DB_POOL_MAX: '10',
    AUTH_RISK_POLICY_FILE: policyFile,
    AUTH_ARGON2_MEMORY_KIB: '1024',
    AUTH_ARGON2_TIME_COST: '1',
    AUTH_IP_FAILURES_PER_MINUTE: '1000000',
    ...(kafka ? { KAFKA_BROKERS: kafka.brokers.join(','), KAFKA_TOPIC_PREFIX: kafka.prefix } : {}),
  };
  let service: ChildProcess | undefined;
  try {
    service = spawn(process.execPath, ['--import', 'tsx', 'services/auth/src/server.ts'], {
      cwd: root,
      env,
      stdio: 'inherit',
    });
    await waitUntilUp(url, 'auth', '/healthz');
    // Each user registers and signs in once from home (known device, IP, country and location). The
    // first alone: its strength estimate starts the estimator's thread, and on a loaded machine
    // requests queued behind that outlast the server's 10 s socket inactivity timeout.
    await pool(users.slice(0, 1), 1, register);
    await pool(users.slice(1), 3, register);
    async function register(u: (typeof users)[number]) {
      const res = await post(url, '/v1/accounts', { email: u.email, password: u.password });
      if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${JSON.stringify(res.body)}`);
      const first = await post(url, '/v1/sessions', { email: u.email, password: u.password, context: homeContext(u) });
      if (first.status !== 200) throw new Error(`first sign-in failed: ${first.status}`);
    }
    const started = performance.now();
    const outcomes: Outcome[] = new Array(attempts.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < attempts.length) {
          const index = next++;
          const a = attempts[index] as Attempt;
          const res = await post(url, '/v1/sessions', { email: a.email, password: a.password, context: a.context });
          const result =
            res.status === 200
              ? res.body.mfaRequired
                ? 'step_up'
                : 'session'
              : res.status === 401
                ? 'refused'
                : res.status === 429
                  ? 'throttled'
                  : res.status === 503
                    ? 'busy'
                    : 'other';
          outcomes[index] = { status: res.status, result, at: performance.now() - started };
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const { rows: decisions } = await sql<{ agent: string; decision: string; n: number }>`
      select user_agent as agent, event->'payload'->>'decision' as decision, count(*)::int as n
      from auth_security_events where type = 'sign_in.risk_assessed' and user_agent like 'sim-%'
      group by 1, 2`.execute(db.db);
    const { rows: locks } = await sql<{ locked: number; hard: number; accounts: number }>`
      select count(*) filter (where locked_until is not null)::int as locked, count(*) filter (where hard)::int as hard,
        count(distinct email_key) filter (where locked_until is not null or hard)::int as accounts
      from auth_lockouts`.execute(db.db);
    return { label, outcomes, seconds, decisions, locks: locks[0] };
  } finally {
    service?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    await db.drop();
    await kafka?.cleanup();
  }
}

async function pool<T>(items: readonly T[], workers: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

/** Attacker attempts the default per-IP throttle would have answered 429 (30 failures a minute per IP or /64). */
function throttleEstimate(attempts: Attempt[], outcomes: Outcome[]): number {
  const failures = new Map<string, number[]>();
  let throttled = 0;
  attempts.forEach((a, i) => {
    const o = outcomes[i] as Outcome;
    if (a.actor === 'user' || !a.context.ip) return;
    const key = ipThrottleKey(a.context.ip, 64);
    const recent = (failures.get(key) ?? []).filter((t) => t > o.at - 60_000);
    if (recent.length >= IP_FAILURES_PER_MINUTE) throttled++;
    else if (o.result === 'refused') recent.push(o.at);
    failures.set(key, recent);
  });
  return throttled;
}

/** For every attacker attempt that got a session: its source and how many attempts that source had sent before (1-based rank). */
function sessionRanks(attempts: Attempt[], outcomes: Outcome[]): string[] {
  const sent: Record<string, number> = {};
  const ranks: string[] = [];
  attempts.forEach((a, i) => {
    if (a.actor === 'user') return;
    sent[a.actor] = (sent[a.actor] ?? 0) + 1;
    if ((outcomes[i] as Outcome).result === 'session') ranks.push(`${a.actor} #${sent[a.actor]}`);
  });
  return ranks.length > 12 ? [...ranks.slice(0, 12), `... ${ranks.length - 12} more`] : ranks;
}

function summarise(run: Awaited<ReturnType<typeof runOnce>>, attempts: Attempt[]) {
  const count = (filter: (a: Attempt, o: Outcome) => boolean) =>
    attempts.reduce((n, a, i) => n + (filter(a, run.outcomes[i] as Outcome) ? 1 : 0), 0);
  const attacker = (a: Attempt) => a.actor !== 'user';
  const decided = (agents: string[], decision: string) =>
    run.decisions.filter((d) => agents.includes(d.agent) && d.decision === decision).reduce((n, d) => n + d.n, 0);
  const realRight = count((a) => a.actor === 'user' && a.rightPassword);
  const line = (name: string, filter: (a: Attempt) => boolean) => {
    const total = count((a) => filter(a));
    const by = (r: Outcome['result']) => count((a, o) => filter(a) && o.result === r);
    return `    ${name.padEnd(22)} ${String(total).padStart(5)}: session ${by('session')}, step-up ${by('step_up')}, refused ${by('refused')}, other ${by('throttled') + by('busy') + by('other')}`;
  };
  const attackerRight = count((a) => attacker(a) && a.rightPassword);
  const attackerDenied = decided(['sim-A', 'sim-B', 'sim-C'], 'deny');
  const refusedRight = count((a, o) => attacker(a) && a.rightPassword && o.result === 'refused');
  const userRefusedRight = count((a, o) => a.actor === 'user' && a.rightPassword && o.result === 'refused');
  const userDenied = decided(['sim-user'], 'deny');
  return [
    `${run.label}: ${attempts.length} attempts in ${run.seconds.toFixed(0)} s (${CONCURRENCY} at once)`,
    `  attackers: ${count(attacker)} attempts, ${attackerRight} with a right (reused) password`,
    `    sign-ins that got a session: ${count((a, o) => attacker(a) && o.result === 'session')}`,
    `    stepped up (e-mail code the attacker does not receive): ${count((a, o) => attacker(a) && o.result === 'step_up')}`,
    `    right password denied by the risk check: ${attackerDenied} (refused with a right password: ${refusedRight}, so ${refusedRight - attackerDenied} by a lock)`,
    `    (each session's rank among its source's attempts: ${sessionRanks(attempts, run.outcomes).join(', ') || 'none'})`,
    line('source A (3 IPv4)', (a) => a.actor === 'A'),
    line('source B (2 IPv6 /64)', (a) => a.actor === 'B'),
    line('source C (1 device)', (a) => a.actor === 'C'),
    `  real users: ${count((a) => a.actor === 'user')} attempts, ${realRight} with the right password`,
    `    right password: allowed ${count((a, o) => a.actor === 'user' && a.rightPassword && o.result === 'session')}, stepped up ${count((a, o) => a.actor === 'user' && a.rightPassword && o.result === 'step_up')}, refused ${userRefusedRight} (risk deny ${userDenied}, lock ${userRefusedRight - userDenied})`,
    ...['home', 'mobile_ip', 'new_device', 'travel', 'typo_retry'].map((kind) =>
      line(`  ${kind}`, (a) => a.actor === 'user' && a.kind === kind),
    ),
    `  lockout: ${run.locks?.locked ?? 0} counters locked (${run.locks?.hard ?? 0} hard) over ${run.locks?.accounts ?? 0} e-mail keys; IP throttle lifted (AUTH_IP_FAILURES_PER_MINUTE=1000000)`,
    `    at its default (${IP_FAILURES_PER_MINUTE}/min per IP or /64) it would have answered 429 to about ${throttleEstimate(attempts, run.outcomes)} attacker attempts (estimate from this run's timings)`,
  ];
}

await prepareTemplateDatabase();
const attempts = buildAttempts();
const dir = mkdtempSync(join(tmpdir(), 'stuffing-'));
try {
  // Neutral policy: the shipped file with every weight (and the severe stuffing weight) at 0.
  const neutral = parse(readFileSync(shippedPolicy, 'utf8')) as {
    version: string;
    signals: Record<string, { weight: number; severeWeight?: number }>;
  };
  neutral.version = `${neutral.version}-neutral`;
  for (const signal of Object.values(neutral.signals)) {
    signal.weight = 0;
    if (signal.severeWeight !== undefined) signal.severeWeight = 0;
  }
  const neutralFile = join(dir, 'neutral-policy.yaml');
  writeFileSync(neutralFile, stringify(neutral));
  const before = await runOnce('BEFORE (neutral policy, all weights 0)', neutralFile, attempts);
  const after = await runOnce(
    `AFTER (shipped policy ${parse(readFileSync(shippedPolicy, 'utf8')).version})`,
    shippedPolicy,
    attempts,
  );
  console.log(
    [
      `credential-stuffing simulation (${availableParallelism()} cores, seed ${SEED}, ${USERS} users, leaked list ${leaked.length} entries: ${leaked.filter((l) => l.kind === 'reused').length} reused passwords, ${leaked.filter((l) => l.kind === 'wrong').length} wrong, ${LEAKED_UNKNOWN} unknown e-mails)`,
      ...summarise(before, attempts),
      ...summarise(after, attempts),
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} (the machine is shared)`,
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
