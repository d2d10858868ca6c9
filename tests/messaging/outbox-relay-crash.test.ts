import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { TOPICS } from '@wallet-guard/contracts';
import { enqueueEvents } from '@wallet-guard/messaging';
import { createTestDatabase, type TestDatabase, TestKafka, waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventIdOf, passwordChangedEvent } from './support';

const worker = fileURLToPath(new URL('../fixtures/relay-worker.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

let db: TestDatabase;
let kafka: TestKafka;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  kafka = new TestKafka();
  await kafka.createTopics([TOPICS.securityEvents]);
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await kafka.cleanup();
  await db.drop();
});

function startRelay(producer: string): ChildProcess {
  // node --import tsx (not the tsx CLI, which runs a child process) so SIGKILL hits the relay itself.
  const child = spawn(process.execPath, ['--import', 'tsx', worker], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      KAFKA_BROKERS: kafka.brokers.join(','),
      KAFKA_TOPIC_PREFIX: kafka.prefix,
      RELAY_PRODUCER: producer,
      RELAY_BATCH_SIZE: '50',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return child;
}

const unsent = async (producer: string) =>
  Number(
    (
      await db.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('producer', '=', producer)
        .where('published_at', 'is', null)
        .executeTakeFirstOrThrow()
    ).n,
  );

it('publishes every committed row exactly once although the relay is killed -9 mid-stream, twice', async () => {
  const producer = `crash-${randomUUID().slice(0, 8)}`;
  const accounts = Array.from({ length: 40 }, () => randomUUID());
  const total = 4_000;
  const events = Array.from({ length: total }, (_, i) => passwordChangedEvent(accounts[i % accounts.length]));
  for (let i = 0; i < total; i += 500) {
    await db.db.transaction().execute((trx) =>
      enqueueEvents(
        trx,
        producer,
        events.slice(i, i + 500).map((event) => ({ topic: TOPICS.securityEvents, event })),
      ),
    );
  }
  const received = await kafka.collect(TOPICS.securityEvents);

  for (const stopAt of [total * 0.8, total * 0.4]) {
    const relay = startRelay(producer);
    await waitFor(async () => (await unsent(producer)) < stopAt, {
      what: `relay to pass ${stopAt} unsent`,
      timeoutMs: 60_000,
      intervalMs: 20,
    });
    relay.kill('SIGKILL');
    await new Promise((resolve) => relay.once('exit', resolve));
  }
  expect(await unsent(producer)).toBeGreaterThan(0);

  startRelay(producer);
  await waitFor(async () => (await unsent(producer)) === 0, { what: 'every row sent', timeoutMs: 90_000 });
  const wanted = new Set(events.map((e) => e.eventId));
  await waitFor(() => received.filter((m) => wanted.has(eventIdOf(m) ?? '')).length >= total, {
    what: 'every event on the topic',
    timeoutMs: 60_000,
  });
  await new Promise((r) => setTimeout(r, 2_000));
  const ids = received.map(eventIdOf).filter((id): id is string => id !== null && wanted.has(id));
  expect(ids).toHaveLength(total);
  expect(new Set(ids).size).toBe(total);

  // Each account's events arrive in the order they were written (its partition's offset order).
  const position = new Map(events.map((e, i) => [e.eventId, i]));
  for (const account of accounts) {
    const arrived = received
      .filter((m) => m.key === account && wanted.has(eventIdOf(m) ?? ''))
      .sort((a, b) => Number(a.offset) - Number(b.offset))
      .map((m) => position.get(eventIdOf(m) ?? '') ?? -1);
    expect(arrived).toEqual([...arrived].sort((a, b) => a - b));
    expect(arrived).toHaveLength(total / accounts.length);
  }
});
