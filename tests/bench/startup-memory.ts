// Start-up time and resident memory of each program, compiled (`node dist/...`, as the image
// runs it, with and without the image's NODE_OPTIONS) next to TypeScript through tsx:
//
//   npm run build:services && node --import tsx tests/bench/startup-memory.ts [--only auth,standalone] [--modes tsx,node,image]
//
// For each: milliseconds from spawn to every /readyz answering 200, RSS 2 s after that, RSS after
// a short load (sign-ups and 120 sign-ins for auth; 5,000 transactions over HTTP for the monitor;
// both for the standalone process) and the peak (VmHWM). Services run on a migrated database of
// their own on the local Postgres and on the local Kafka; the standalone process also on the
// embedded database, first start (initdb and migrations) and restart. One program at a time.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  cleanEnv,
  createTestDatabase,
  freePort,
  prepareTemplateDatabase,
  type TestDatabase,
  TestKafka,
} from '@wallet-guard/testing';
import { DEFAULT_TRAFFIC, generateTraffic } from '../traffic/generator';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { values: args } = parseArgs({ options: { only: { type: 'string' }, modes: { type: 'string' } } });
const only = args.only?.split(',');
const headers = { 'content-type': 'application/json', 'x-api-key': 'dev-wallet-key' };
// The image's memory settings (infra/Dockerfile's NODE_OPTIONS and MALLOC_*), so the figures follow it.
const imageEnv = Object.fromEntries(
  [...readFileSync(`${root}/infra/Dockerfile`, 'utf8').matchAll(/\b(NODE_OPTIONS|MALLOC_[A-Z_]+)=(\S+)/g)].map((m) => [
    m[1] as string,
    m[2] as string,
  ]),
);

/** tsx: the TypeScript entry through tsx; node: the compiled one; image: compiled, with the image's settings. */
type Mode = 'tsx' | 'node' | 'image';
type Load = 'logins' | 'transactions';
interface Program {
  name: string;
  entry: { source: string; compiled: string };
  ports: Record<string, number>;
  loads: Load[];
  /** Where the data is: a database per run, or the embedded one in a folder the runs share. */
  data: 'postgres' | { dataDir: string; label: string };
}

const mb = (kib: number) => Math.round(kib / 1024);
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: mb(field('VmRSS')), peak: mb(field('VmHWM')) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readyAll(ports: number[], child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (const port of ports) {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} during start`);
      if (Date.now() > deadline) throw new Error('not ready within 120 s');
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await sleep(20);
    }
  }
}

async function post(url: string, body: unknown): Promise<number> {
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  await res.arrayBuffer();
  return res.status;
}

/** 4 sign-ups, then 120 sign-ins, 4 at a time. */
async function logins(authPort: number): Promise<void> {
  const url = `http://127.0.0.1:${authPort}`;
  const accounts = Array.from({ length: 4 }, (_, i) => ({
    email: `bench.${i}.${randomBytes(3).toString('hex')}@example.com`,
    password: `Quill-${randomBytes(9).toString('base64url')}`,
  }));
  for (const account of accounts) {
    const status = await post(`${url}/v1/accounts`, account);
    if (status !== 201) throw new Error(`sign-up answered ${status}`);
  }
  await Promise.all(
    accounts.map(async (account) => {
      for (let i = 0; i < 30; i++) await post(`${url}/v1/sessions`, account);
    }),
  );
}

const traffic = generateTraffic({ ...DEFAULT_TRAFFIC, normalAccounts: 100, incidentsPerScenario: 0, days: 30 });
/** 5,000 transactions in batches of 500, then 3 s for the pipeline behind the route. */
async function transactions(monitorPort: number): Promise<void> {
  const txs = traffic.transactions.slice(0, 5_000).map((t) => ({
    ...t.tx,
    transactionId: `${t.tx.transactionId}-${randomBytes(3).toString('hex')}`,
  }));
  for (let i = 0; i < txs.length; i += 500) {
    const status = await post(`http://127.0.0.1:${monitorPort}/v1/transactions`, {
      transactions: txs.slice(i, i + 500),
    });
    if (status !== 202) throw new Error(`/v1/transactions answered ${status}`);
  }
  await sleep(3_000);
}

interface Figures {
  readyMs: number;
  rssStart: number;
  rssLoad: number | undefined;
  peak: number;
}

async function measure(program: Program, mode: Mode, kafka: TestKafka): Promise<Figures> {
  const db: TestDatabase | undefined = program.data === 'postgres' ? await createTestDatabase() : undefined;
  const dataEnv: Record<string, string> =
    program.data === 'postgres'
      ? {
          DATABASE_URL: (db as TestDatabase).url,
          KAFKA_BROKERS: kafka.brokers.join(','),
          KAFKA_TOPIC_PREFIX: kafka.prefix,
        }
      : { DATA_DIR: program.data.dataDir };
  const env = cleanEnv({
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    AUTH_LOCKOUT_PROFILE: 'custom',
    AUTH_LOCKOUT_THRESHOLD: '1000000',
    MONITOR_RULES_WATCH: 'false',
    ...(mode === 'image' ? imageEnv : {}),
    // A service the standalone process may run too: never on a port someone else holds.
    PORTAL_PORT: String(await freePort()),
    ...Object.fromEntries(Object.entries(program.ports).map(([k, v]) => [k, String(v)])),
    ...dataEnv,
  });
  const argv = mode === 'tsx' ? ['--import', 'tsx', program.entry.source] : [program.entry.compiled];
  const started = performance.now();
  const child = spawn(process.execPath, argv, { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await readyAll(Object.values(program.ports), child);
    const readyMs = Math.round(performance.now() - started);
    await sleep(2_000);
    const pid = child.pid as number;
    const rssStart = memory(pid).rss;
    if (program.loads.includes('logins')) await logins(program.ports.AUTH_PORT as number);
    if (program.loads.includes('transactions')) await transactions(program.ports.MONITOR_PORT as number);
    const after = memory(pid);
    return { readyMs, rssStart, rssLoad: program.loads.length > 0 ? after.rss : undefined, peak: after.peak };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
    await db?.drop();
  }
}

async function programs(): Promise<Program[]> {
  const port = () => freePort();
  const service = async (name: string, variable: string, loads: Load[]): Promise<Program> => ({
    name,
    entry: { source: `services/${name}/src/server.ts`, compiled: `services/${name}/dist/server.js` },
    ports: { [variable]: await port() },
    loads,
    data: 'postgres',
  });
  const standalone = async (data: Program['data']): Promise<Program> => ({
    name: `standalone (${data === 'postgres' ? 'Postgres, Kafka' : data.label})`,
    entry: { source: 'services/standalone/src/main.ts', compiled: 'services/standalone/dist/main.js' },
    ports: {
      AUTH_PORT: await port(),
      MONITOR_PORT: await port(),
      CASES_PORT: await port(),
      NOTIFIER_PORT: await port(),
    },
    loads: ['logins', 'transactions'],
    data,
  });
  return [
    await service('auth', 'AUTH_PORT', ['logins']),
    await service('transaction-monitor', 'MONITOR_PORT', ['transactions']),
    await service('support-cases', 'CASES_PORT', []),
    await service('notifier', 'NOTIFIER_PORT', []),
    await standalone('postgres'),
  ];
}

await prepareTemplateDatabase();
const kafka = new TestKafka();
await kafka.createTopics();
const rows: string[] = [];
const MODE_LABELS: Record<Mode, string> = {
  tsx: 'tsx',
  node: 'node (compiled)',
  image: 'node (compiled), image settings',
};
const row = (program: string, mode: Mode, f: Figures) =>
  rows.push(`| ${program} | ${MODE_LABELS[mode]} | ${f.readyMs} | ${f.rssStart} | ${f.rssLoad ?? '-'} | ${f.peak} |`);
const allModes: Mode[] = ['tsx', 'node', 'image'];
const modes = allModes.filter((m) => !args.modes || args.modes.split(',').includes(m));
try {
  for (const program of await programs()) {
    if (only && !only.some((o) => program.name.startsWith(o))) continue;
    for (const mode of modes) row(program.name, mode, await measure(program, mode, kafka));
  }
  if (!only || only.some((o) => 'standalone'.startsWith(o) || o.startsWith('standalone'))) {
    // The embedded database: each mode gets a fresh folder (first start), then starts again on it.
    for (const mode of modes) {
      const dataDir = mkdtempSync(join(tmpdir(), 'wg-bench-embedded-'));
      try {
        for (const label of ['embedded, first start', 'embedded, restart']) {
          const program = (await programs()).at(-1) as Program;
          program.data = { dataDir, label };
          program.name = `standalone (${label})`;
          row(program.name, mode, await measure(program, mode, kafka));
        }
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }
} finally {
  await kafka.cleanup();
}
process.stdout.write(
  [
    `image settings: ${JSON.stringify(imageEnv)}; load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    '',
    '| program | run by | ready (ms) | RSS after start (MB) | RSS after load (MB) | peak RSS (MB) |',
    '|---|---|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n'),
);
