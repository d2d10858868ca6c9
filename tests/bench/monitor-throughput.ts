// Transaction-monitor benchmark on the real broker and Postgres.
//
//   node --import tsx tests/bench/monitor-throughput.ts [--accounts 1000] [--days 60] [--rate 2000] [--seconds 20]
//
// 1. Generates simulated wallet traffic (tests/traffic) and produces it to wallet.transactions.v1.
// 2. Reads the topic with a bare kafkajs consumer that does nothing with the records: the raw rate.
// 3. Starts the monitor on the same topic: sustained transactions/s consumed, scored and persisted.
//    Both rates come from the same run, topic and machine; their ratio is the figure to quote.
//    Meanwhile it samples the CPU time of this process, Postgres and the broker: where the time goes.
// 4. With the monitor caught up, produces at a fixed rate and measures produce-to-flag latency on
//    probe transactions (5% of the traffic, each certain to be flagged), polling every 10 ms.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { TOPICS, type WalletTransaction } from '@wallet-guard/contracts';
import { prepareTemplateDatabase } from '@wallet-guard/testing';
import {
  appliedEvents,
  asRecord,
  startMonitor,
  testTopics,
  transactionEvent,
} from '@wallet-guard/transaction-monitor/testing';
import { Partitioners } from 'kafkajs';
import { sql } from 'kysely';
import { DEFAULT_TRAFFIC, generateTraffic } from '../traffic/generator';
import { cpuNow, describeCpu } from './cpu';

const { values: args } = parseArgs({
  options: {
    accounts: { type: 'string', default: '1000' },
    days: { type: 'string', default: '60' },
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '20' },
  },
});
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const log = (message: string) => process.stdout.write(`${message}\n`);
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

const record = (tx: WalletTransaction) => asRecord(transactionEvent(tx));

/** Rate over a run sampled as (time, count): from the first sample that saw progress to the end. */
function sustained(samples: [number, number][], total: number): number {
  const first = samples.find(([, count]) => count > 0) as [number, number];
  const last = samples.find(([, count]) => count >= total) as [number, number];
  return (total - first[1]) / ((last[0] - first[0]) / 1000);
}

log('generating traffic...');
const traffic = generateTraffic({
  ...DEFAULT_TRAFFIC,
  normalAccounts: Number(args.accounts),
  incidentsPerScenario: 0,
  days: Number(args.days),
  measuredDays: 1,
});
const records = traffic.transactions.map((t) => record(t.tx));
const total = records.length;
log(`${total} transactions for ${args.accounts} accounts over ${args.days} days`);

await prepareTemplateDatabase();
const kafka = await testTopics();
const producer = kafka.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
await producer.connect();
const topic = kafka.topic(TOPICS.walletTransactions);

try {
  const started = performance.now();
  for (let i = 0; i < records.length; i += 2_000) {
    await producer.send({ topic, acks: -1, messages: records.slice(i, i + 2_000) });
  }
  log(`produced ${total} in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // Raw: a consumer group that only counts what it receives.
  const raw = kafka.kafka.consumer({ groupId: `${kafka.prefix}raw-${randomUUID()}` });
  await raw.connect();
  await raw.subscribe({ topic, fromBeginning: true });
  let rawCount = 0;
  const rawSamples: [number, number][] = [];
  let rawDone: () => void = () => undefined;
  const rawFinished = new Promise<void>((resolve) => {
    rawDone = resolve;
  });
  await raw.run({
    partitionsConsumedConcurrently: 3,
    eachBatch: async ({ batch }) => {
      rawCount += batch.messages.length;
      rawSamples.push([performance.now(), rawCount]);
      if (rawCount >= total) rawDone();
    },
  });
  await rawFinished;
  await raw.disconnect();
  rawSamples.unshift([rawSamples[0]?.[0] ?? 0, 0]);
  const rawRate = sustained(rawSamples.slice(1), total);

  // The monitor on the same topic.
  // Consumer tuning, and a rules file to compare (a rule `off` against `live` in back-to-back runs).
  const tuning = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k.startsWith('MONITOR_CONSUMER_') || k === 'MONITOR_RULES_FILE'),
  );
  const cpuBefore = cpuNow();
  const wallBefore = performance.now();
  const monitor = await startMonitor({ kafka, env: { LOG_LEVEL: 'warn', ...tuning }, poolMax: 10 });
  const { config, db: database } = monitor;
  // The bus counts events once their transaction committed: reading it costs the database nothing.
  const applied = () => appliedEvents(monitor);
  const samples: [number, number][] = [];
  for (;;) {
    const count = await applied();
    samples.push([performance.now(), count]);
    if (count >= total) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const monitorRate = sustained(samples, total);
  const cpu = describeCpu(cpuBefore, cpuNow(), (performance.now() - wallBefore) / 1000);
  const persisted = Number(
    (await sql<{ n: string }>`select count(*)::text as n from monitor_transactions`.execute(database.db)).rows[0]?.n,
  );
  if (persisted !== total) throw new Error(`expected ${total} transactions persisted, found ${persisted}`);
  const flags = await sql<{ decision: string; n: string }>`
    select decision, count(*)::text as n from monitor_flags group by decision order by decision`.execute(database.db);

  // Latency at a fixed rate: ordinary traffic plus probes, each a new account emptying itself.
  const fresh = generateTraffic({
    ...DEFAULT_TRAFFIC,
    seed: DEFAULT_TRAFFIC.seed + 1,
    normalAccounts: Math.ceil((rate * seconds) / 60),
    incidentsPerScenario: 0,
    days: 30,
    measuredDays: 1,
  }).transactions.map((t) => t.tx);
  const sentAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  const tickMs = 10;
  const perTick = Math.round((rate * tickMs) / 1000);
  const ticks = Math.round((seconds * 1000) / tickMs);
  let polling = true;
  const poller = (async () => {
    while (polling || seenAt.size < sentAt.size) {
      const pending = [...sentAt.keys()].filter((id) => !seenAt.has(id));
      if (pending.length > 0) {
        const rows = await database.db
          .selectFrom('monitor_flags')
          .select('transaction_id')
          .where('transaction_id', '=', sql<string>`any(${pending}::text[])`)
          .execute();
        const now = performance.now();
        for (const row of rows) seenAt.set(row.transaction_id, now);
      }
      await new Promise((r) => setTimeout(r, tickMs));
    }
  })();
  const t0 = performance.now();
  for (let tick = 0; tick < ticks; tick++) {
    const batch = fresh.splice(0, perTick - 5).map(record);
    const probes = Array.from({ length: 5 }, () => {
      const tx: WalletTransaction = {
        transactionId: `probe-${randomUUID()}`,
        accountId: randomUUID(),
        type: 'withdrawal',
        amountMinor: '95000',
        currency: 'EUR',
        balanceAfterMinor: '500',
        counterparty: { id: `IBAN-${randomUUID()}`, kind: 'bank_account' },
        occurredAt: new Date().toISOString(),
      };
      return tx;
    });
    const sendTime = performance.now();
    await producer.send({ topic, acks: -1, messages: [...batch, ...probes.map(record)] });
    for (const probe of probes) sentAt.set(probe.transactionId, sendTime);
    const wait = t0 + (tick + 1) * tickMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const achieved = (ticks * perTick) / ((performance.now() - t0) / 1000);
  polling = false;
  await Promise.race([poller, new Promise((r) => setTimeout(r, 30_000))]);
  const latencies = [...sentAt]
    .map(([id, at]) => (seenAt.get(id) ?? Number.POSITIVE_INFINITY) - at)
    .sort((a, b) => a - b);

  log('');
  log('== transaction-monitor benchmark (2-core machine shared with Kafka, Postgres and other tests) ==');
  log(`transactions:                 ${total} (${args.accounts} accounts with history), all persisted`);
  log(
    `consumer:                     ${config.consumer.partitionsConcurrently} partitions in parallel, chunks of ${config.consumer.chunkSize}`,
  );
  log(`raw kafkajs consume:          ${Math.round(rawRate)} records/s`);
  log(`monitor consume+score+persist: ${Math.round(monitorRate)} tx/s`);
  log(`ratio monitor/raw:            ${(monitorRate / rawRate).toFixed(3)}`);
  log('CPU while the monitor caught up (start to last transaction applied):');
  for (const line of cpu) log(`  ${line}`);
  log(`flags written:                ${flags.rows.map((r) => `${r.decision} ${r.n}`).join(', ')}`);
  log(
    `latency phase:                ${Math.round(achieved)} tx/s offered for ${seconds} s, ${latencies.length} probes`,
  );
  log(
    `produce-to-flag latency:      p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p99 ${percentile(latencies, 0.99).toFixed(0)} ms, max ${latencies[latencies.length - 1]?.toFixed(0)} ms (poll interval ${tickMs} ms included)`,
  );
  await monitor.close();
} finally {
  await producer.disconnect();
  await kafka.cleanup();
}
