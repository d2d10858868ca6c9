import { randomUUID } from 'node:crypto';
import { TOPICS } from '@wallet-guard/contracts';
import { createEventBus, enqueueEvents } from '@wallet-guard/messaging';
import { createMetricsRegistry } from '@wallet-guard/observability';
import { createTestDatabase, type TestDatabase, TestKafka, waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventIdOf, passwordChangedEvent, silentLogger } from './support';

let db: TestDatabase;
let kafka: TestKafka;

beforeAll(async () => {
  db = await createTestDatabase();
  kafka = new TestKafka();
  await kafka.createTopics([TOPICS.securityEvents]);
});

afterAll(async () => {
  await kafka.cleanup();
  await db.drop();
});

const unsent = async (producer: string) =>
  db.db
    .selectFrom('outbox')
    .select('event_id')
    .where('producer', '=', producer)
    .where('published_at', 'is', null)
    .execute();

async function write(producer: string, count: number) {
  const events = Array.from({ length: count }, () => passwordChangedEvent());
  await db.db.transaction().execute((trx) =>
    enqueueEvents(
      trx,
      producer,
      events.map((event) => ({ topic: TOPICS.securityEvents, event })),
    ),
  );
  return events;
}

// Found by the SIGTERM fault test (tests/faults): a service stopped with events its last requests
// had committed; they waited in the outbox until the service's next start, which may never come.
it('sends the events already committed before it stops, even between two polls', async () => {
  const producer = `stop-${randomUUID().slice(0, 8)}`;
  const bus = createEventBus({
    db: db.db,
    kafka: { brokers: kafka.brokers, clientId: 'test', topicPrefix: kafka.prefix },
    logger: silentLogger,
    metrics: createMetricsRegistry('test', { processMetrics: false }),
    // The relay would not look again for a minute: only the stop can send what comes next.
    outbox: { pollIntervalMs: 60_000, batchSize: 50 },
    createTopics: false,
  });
  bus.relay(producer);
  const received = await kafka.collect(TOPICS.securityEvents);
  const first = await write(producer, 1);
  await bus.start();
  await waitFor(async () => (await unsent(producer)).length === 0, { what: 'the first event sent' });

  const last = await write(producer, 120); // three batches
  await bus.stop();
  expect(await unsent(producer)).toEqual([]);

  const wanted = new Set([...first, ...last].map((e) => e.eventId));
  await waitFor(() => received.filter((m) => wanted.has(eventIdOf(m) ?? '')).length >= wanted.size, {
    what: 'every event on the topic',
  });
  await new Promise((r) => setTimeout(r, 1_000));
  const ids = received.map(eventIdOf).filter((id): id is string => id !== null && wanted.has(id));
  expect(ids).toHaveLength(wanted.size);
  expect(new Set(ids).size).toBe(wanted.size);
});
