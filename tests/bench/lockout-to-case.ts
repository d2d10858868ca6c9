// Lockout-to-case latency: from the answer to the sign-in attempt that locks an account to the
// moment support-cases holds the case, across auth's outbox relay, Kafka and the cases consumer.
//
//   node --import tsx tests/bench/lockout-to-case.ts        (BENCH_ACCOUNTS=60 by default)
//
// Needs Postgres and Kafka (as the tests do). The three services run in this process with the
// production default OUTBOX_POLL_INTERVAL_MS (100 ms); accounts are locked one after another so
// each figure is one incident's path, not a queue.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { prepareTemplateDatabase } from '@wallet-guard/testing';
import { startSystem } from '../e2e/system';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 60);
const password = 'Quiet-lantern-orbit-2026!';
const headers = { 'content-type': 'application/json', 'x-api-key': 'dev-wallet-key' };

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function post(url: string, path: string, body: unknown) {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  await res.arrayBuffer();
  return res.status;
}

await prepareTemplateDatabase();
const system = await startSystem({ OUTBOX_POLL_INTERVAL_MS: '100', LOG_LEVEL: 'warn' });
const latencies: number[] = [];
try {
  for (let i = 0; i < ACCOUNTS; i++) {
    const email = `bench-${randomUUID()}@example.com`;
    const registered = await fetch(`${system.auth.url}/v1/accounts`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email, password }),
    });
    const { accountId } = (await registered.json()) as { accountId: string };
    for (let attempt = 0; attempt < 4; attempt++)
      await post(system.auth.url, '/v1/sessions', { email, password: 'wrong-guess-0' });
    await post(system.auth.url, '/v1/sessions', { email, password: 'wrong-guess-0' }); // the fifth failure locks
    const locked = performance.now();
    for (;;) {
      const found = await system.cases.db.db
        .selectFrom('cases')
        .select('id')
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      if (found) break;
      if (performance.now() - locked > 30_000) throw new Error(`no case for ${accountId} after 30 s`);
      await new Promise((r) => setTimeout(r, 2));
    }
    latencies.push(performance.now() - locked);
  }
} finally {
  await system.stop();
}
latencies.sort((a, b) => a - b);
const f = (ms: number) => `${ms.toFixed(0)} ms`;
process.stdout.write(
  [
    `lockout-to-case latency over ${latencies.length} lockouts (auth -> outbox relay -> Kafka -> support-cases; relay poll 100 ms)`,
    `p50 ${f(percentile(latencies, 50))}, p99 ${f(percentile(latencies, 99))}, max ${f(latencies[latencies.length - 1] ?? Number.NaN)}`,
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    '',
  ].join('\n'),
);
