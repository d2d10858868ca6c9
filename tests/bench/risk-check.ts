// The sign-in risk check's own cost (issue 16: "the risk check adds < 5 ms at p50"): only what
// `signIn` adds for risk (the stuffing counter upsert + count, then the account's risk state read,
// the blocklist lookup and the pure evaluation: `runRiskCheck` of services/auth/src/risk/assess.ts),
// timed one at a time against real Postgres holding realistic data, next to a bare `select 1`
// round trip on the same pool, interleaved in the same run (the reference for what Postgres and
// the machine cost at that moment).
//
//   node --import tsx tests/bench/risk-check.ts        (BENCH_SECONDS=15 by default; BENCH_ACCOUNTS=5000)
//
// Data, inserted in SQL before timing: BENCH_ACCOUNTS accounts, each with 2 known devices, 3 known
// IPs, 1 to 3 known countries, a last located sign-in and 20 security events (some freezes, 5 %
// with an open theft suspicion); stuffing counters for every account's own sources plus 40
// attacker IPs, 10 IPv6 /64s and 10 devices that each tried 300 accounts inside the policy's
// window, and as many rows again outside it. Checks are 90 % a user from a usual source, 5 % a
// user from a new device and country, 5 % an attacker source (a counter of a few hundred accounts).
// Needs Postgres (as the tests do).
import { availableParallelism, loadavg } from 'node:os';
import { authConfigSchema, parseConfig } from '@wallet-guard/config';
import type { ClientContext } from '@wallet-guard/contracts';
import { createLogger } from '@wallet-guard/observability';
import { createTestDatabase, prepareTemplateDatabase } from '@wallet-guard/testing';
import { sql } from 'kysely';
import { findWithSources } from '../../services/auth/src/accounts/accounts-store';
import { emailKey } from '../../services/auth/src/accounts/email';
import { authErrors } from '../../services/auth/src/errors';
import { commonPasswords } from '../../services/auth/src/passwords/common-passwords';
import { HashingPool } from '../../services/auth/src/passwords/hashing-pool';
import { PasswordHasher } from '../../services/auth/src/passwords/password-hasher';
import { PasswordPolicy } from '../../services/auth/src/passwords/password-policy-service';
import { StrengthEstimator } from '../../services/auth/src/passwords/strength';
import { assessSignIn, countAttempt, type RiskCheckContext, runRiskCheck } from '../../services/auth/src/risk/assess';
import { DEFAULT_RISK_POLICY_FILE, RiskPolicyStore } from '../../services/auth/src/risk/policy-store';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 5000);

/** Deterministic pseudo-random numbers (mulberry32): the same checks in every run. */
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

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const email = (i: number) => `risk.${i}@example.com`;
const userIp = (i: number, n: number) => `10.${(i >> 8) & 255}.${i & 255}.${n + 1}`;
const userDevice = (i: number, n: number) => `device-${i}-${n}`;

await prepareTemplateDatabase();
const database = await createTestDatabase({ poolMax: 4 });
const { db } = database;
const config = parseConfig(authConfigSchema, { ...process.env, NODE_ENV: 'development' });
const logger = createLogger({ service: 'risk-check-bench', level: 'warn' });
const risk = new RiskPolicyStore({ path: config.risk.policyFile ?? DEFAULT_RISK_POLICY_FILE, logger });
const busy = () => authErrors.busy(1);
const hasher = await PasswordHasher.create(config.passwords.argon2, config.passwords.peppers);
const ctx: RiskCheckContext = {
  db,
  clock: () => new Date(),
  risk,
  policy: new PasswordPolicy(
    config.passwords.policy,
    commonPasswords(),
    new StrengthEstimator(busy),
    hasher,
    new HashingPool(config.passwords.hashing, busy),
  ),
};

try {
  const seedStarted = performance.now();
  const stored = await hasher.hash('Quill-bench-password-1');
  await sql`
    insert into auth_accounts (email, email_normalized, locale, password_hash, pepper_id, status, password_changed_at, last_login_at)
    select 'risk.' || i || '@example.com', 'risk.' || i || '@example.com', 'en', ${stored.hash}, ${stored.pepperId}, 'active',
      now() - interval '200 days', now() - (i % 30) * interval '1 day'
    from generate_series(0, ${ACCOUNTS - 1}) as i`.execute(db);
  await sql`create temporary table bench_ids as
    select id, (regexp_match(email, '[0-9]+'))[1]::int as i from auth_accounts`.execute(db);
  // Known sources: 2 devices and 3 IPs per account (what the sign-in's lookup and "new" signals read).
  await sql`
    insert into auth_known_sources (account_id, kind, value, first_seen_at, last_success_at)
    select b.id, 'device', 'device-' || b.i || '-' || n, now() - interval '150 days', now() - n * interval '3 days'
    from bench_ids b, generate_series(0, 1) as n
    union all
    select b.id, 'ip', '10.' || ((b.i >> 8) & 255) || '.' || (b.i & 255) || '.' || (n + 1),
      now() - interval '150 days', now() - n * interval '5 days'
    from bench_ids b, generate_series(0, 2) as n`.execute(db);
  await sql`
    insert into auth_risk_known_countries (account_id, country, first_seen_at, last_success_at)
    select b.id, (array['DE','FR','NL','GB','ES'])[1 + ((b.i + n) % 5)], now() - interval '150 days', now() - n * interval '10 days'
    from bench_ids b, generate_series(0, 2) as n where n <= b.i % 3`.execute(db);
  await sql`
    insert into auth_risk_last_locations (account_id, signed_in_at, lat, lon)
    select id, now() - interval '2 days', 52.52, 13.40 from bench_ids`.execute(db);
  // 20 security events per account, every 25th account with a freeze among them.
  await sql`
    insert into auth_security_events (event_id, account_id, type, occurred_at, ip, user_agent, device_id, event)
    select gen_random_uuid(), b.id,
      case when n = 0 and b.i % 25 = 0 then 'account.frozen' when n % 2 = 0 then 'sign_in.succeeded' else 'sign_in.failed' end,
      now() - n * interval '4 days', '10.0.0.1', 'bench', 'device-' || b.i || '-0', '{}'::jsonb
    from bench_ids b, generate_series(0, 19) as n`.execute(db);
  await sql`
    insert into auth_risk_theft_suspicions (event_id, account_id, suspected_at, score, rules_version)
    select gen_random_uuid(), id, now() - interval '5 hours', 80, 'bench' from bench_ids where i % 20 = 0`.execute(db);
  // Stuffing counters: each account's own sources (one email each), then attacker sources that tried
  // 300 accounts each inside the window, and as many rows again from an hour ago (outside it).
  await sql`
    insert into auth_risk_source_attempts (source, email_key, last_attempt_at)
    select 'ip:10.' || ((b.i >> 8) & 255) || '.' || (b.i & 255) || '.1', encode(sha256(convert_to('risk.' || b.i || '@example.com', 'UTF8')), 'hex'), now() - interval '10 minutes' from bench_ids b
    union all
    select 'device:device-' || b.i || '-0', encode(sha256(convert_to('risk.' || b.i || '@example.com', 'UTF8')), 'hex'), now() - interval '10 minutes' from bench_ids b
    union all
    select s.source, encode(sha256(convert_to('leak.' || s.n || '.' || k || '@example.com', 'UTF8')), 'hex'),
      now() - (case when k % 2 = 0 then interval '5 minutes' else interval '1 hour' end)
    from (
      select 'ip:203.0.113.' || n as source, n from generate_series(1, 40) as n
      union all select 'net:2001:db8:' || to_hex(n) || '::/64', n from generate_series(1, 10) as n
      union all select 'device:attacker-' || n, n from generate_series(1, 10) as n
    ) s, generate_series(0, 599) as k`.execute(db);
  await sql`analyze`.execute(db);
  const { rows: counts } = await sql<{ attempts: number; events: number }>`
    select (select count(*) from auth_risk_source_attempts)::int as attempts,
      (select count(*) from auth_security_events)::int as events`.execute(db);
  const seedSeconds = (performance.now() - seedStarted) / 1000;

  const rand = random(16);
  const pick = (n: number) => Math.floor(rand() * n);
  const nextCheck = (): { i: number; context: ClientContext; password: string } => {
    const i = pick(ACCOUNTS);
    const roll = rand();
    const password = 'Quill-bench-password-1';
    if (roll < 0.9) {
      const context = { ip: userIp(i, pick(3)), deviceId: userDevice(i, pick(2)), country: 'DE', lat: 52.5, lon: 13.4 };
      return { i, context, password };
    }
    if (roll < 0.95) {
      return {
        i,
        context: { ip: `198.51.100.${pick(250) + 1}`, deviceId: `new-${pick(1e9)}`, country: 'BR' },
        password,
      };
    }
    const sources: ClientContext[] = [
      { ip: `203.0.113.${pick(40) + 1}`, deviceId: `attacker-${pick(10) + 1}` },
      { ip: `2001:db8:${(pick(10) + 1).toString(16)}::${(pick(65534) + 1).toString(16)}` },
    ];
    return { i, context: { ...sources[pick(2)], country: 'RU' }, password: 'password123' };
  };

  const riskMs: number[] = [];
  const counterMs: number[] = [];
  const assessMs: number[] = [];
  const selectMs: number[] = [];
  const decisions: Record<string, number> = {};
  // Warm-up: connections open, plans cached, the blocklist Set built.
  for (let n = 0; n < 50; n++) {
    const { i, context, password } = nextCheck();
    const found = await findWithSources(db, { email: email(i) }, context);
    if (!found) throw new Error('seeded account missing');
    await runRiskCheck(ctx, { ...found, emailKey: emailKey(email(i)), context, password });
    await sql`select 1`.execute(db);
  }
  const deadline = Date.now() + SECONDS * 1000;
  while (Date.now() < deadline) {
    const { i, context, password } = nextCheck();
    // The account and its source history are read by the sign-in anyway (before risk existed): not timed.
    const found = await findWithSources(db, { email: email(i) }, context);
    if (!found) throw new Error('seeded account missing');
    // What runRiskCheck does, with a clock between its two statements.
    let started = performance.now();
    const stuffing = await countAttempt(ctx, emailKey(email(i)), context, ctx.clock());
    const counted = performance.now();
    const assessment = await assessSignIn(ctx, { ...found, context, password, stuffing });
    const ended = performance.now();
    riskMs.push(ended - started);
    counterMs.push(counted - started);
    assessMs.push(ended - counted);
    decisions[assessment.decision] = (decisions[assessment.decision] ?? 0) + 1;
    started = performance.now();
    await sql`select 1`.execute(db);
    selectMs.push(performance.now() - started);
  }
  for (const list of [riskMs, counterMs, assessMs]) list.sort((a, b) => a - b);
  selectMs.sort((a, b) => a - b);
  const p = (list: number[], q: number) => percentile(list, q).toFixed(2);
  console.log(
    [
      `risk check benchmark (${availableParallelism()} cores, ${SECONDS} s, policy ${risk.current().version})`,
      `data: ${ACCOUNTS} accounts, ${counts[0]?.events} security events, ${counts[0]?.attempts} stuffing counter rows (seeded in ${seedSeconds.toFixed(1)} s)`,
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} (the machine is shared)`,
      `risk check (as runRiskCheck: counter upsert+count, risk state read, blocklist, evaluation), ${riskMs.length} checks one at a time:`,
      `  p50 ${p(riskMs, 50)} ms, p90 ${p(riskMs, 90)} ms, p99 ${p(riskMs, 99)} ms (decisions: ${JSON.stringify(decisions)})`,
      `  of which the stuffing counter (upsert + count, one autocommitted write): p50 ${p(counterMs, 50)} ms, p99 ${p(counterMs, 99)} ms`,
      `  and the assessment (risk state read, blocklist, evaluation): p50 ${p(assessMs, 50)} ms, p99 ${p(assessMs, 99)} ms`,
      `  (in signIn the counter runs concurrently with the account lookup the sign-in did before risk existed)`,
      `bare select 1 round trip, interleaved: p50 ${p(selectMs, 50)} ms, p90 ${p(selectMs, 90)} ms, p99 ${p(selectMs, 99)} ms`,
      `ratio at p50: the risk check costs ${(percentile(riskMs, 50) / percentile(selectMs, 50)).toFixed(1)} select-1 round trips`,
    ].join('\n'),
  );
} finally {
  risk.close();
  await database.drop();
}
process.exit(0);
