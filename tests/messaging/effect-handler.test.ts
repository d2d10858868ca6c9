// Effect handlers (work outside the database, such as sending an e-mail): run without a
// transaction, one event at a time in partition order, acknowledged when `effect` returns, kept
// alive while they wait, dead-lettered on PermanentError — on Kafka and on the embedded bus.
import { randomUUID } from 'node:crypto';
import { TOPICS } from '@wallet-guard/contracts';
import {
  createEventBus,
  type EffectHandler,
  type EventBus,
  enqueueEvent,
  PermanentError,
} from '@wallet-guard/messaging';
import { createMetricsRegistry } from '@wallet-guard/observability';
import { createTestDatabase, type TestDatabase, TestKafka, waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordChangedEvent, silentLogger } from './support';

let db: TestDatabase;
let kafka: TestKafka;
const buses: EventBus[] = [];

function bus(kind: 'kafka' | 'embedded'): EventBus {
  const created = createEventBus({
    db: db.db,
    kafka: kind === 'kafka' ? { brokers: kafka.brokers, clientId: 'test', topicPrefix: kafka.prefix } : undefined,
    logger: silentLogger,
    metrics: createMetricsRegistry('test', { processMetrics: false }),
    outbox: { pollIntervalMs: 25, batchSize: 100 },
  });
  buses.push(created);
  return created;
}

beforeAll(async () => {
  db = await createTestDatabase();
  kafka = new TestKafka();
  await kafka.createTopics();
});

afterAll(async () => {
  await Promise.all(buses.map((b) => b.stop()));
  await kafka.cleanup();
  await db.drop();
});

/**
 * Records every call; the event whose account is `poison` throws PermanentError, the one whose
 * account is `slow` waits 2.5 s (calling keepAlive) before it returns.
 */
function recordingEffect(group: string, marks: { poison?: string; slow?: string } = {}) {
  const seen: { eventId: string }[] = [];
  let keepAlives = 0;
  let running = 0;
  let overlapped = false;
  const handler: EffectHandler<typeof TOPICS.securityEvents> = {
    group,
    topic: TOPICS.securityEvents,
    async effect({ event }, context) {
      running += 1;
      if (running > 1) overlapped = true;
      try {
        if (event.accountId === marks.poison) throw new PermanentError('test_poison', 'this event can never be sent');
        if (event.accountId === marks.slow) {
          for (let i = 0; i < 5; i++) {
            await new Promise((resolve) => setTimeout(resolve, 500));
            await context.keepAlive();
            keepAlives += 1;
          }
        }
        seen.push({ eventId: event.eventId });
      } finally {
        running -= 1;
      }
    },
  };
  return { handler, seen, keepAlives: () => keepAlives, overlapped: () => overlapped };
}

describe('effect handlers', () => {
  it('on Kafka: each event once, in order, one at a time; a slow one keeps its partition; PermanentError dead-letters', async () => {
    const poison = randomUUID();
    const slow = randomUUID();
    const effect = recordingEffect(`test.effect.${randomUUID().slice(0, 8)}`, { poison, slow });
    const consumer = bus('kafka');
    consumer.subscribe(effect.handler);
    await consumer.start();
    const dlq = await kafka.collect(`${TOPICS.securityEvents}.dlq`);

    const account = randomUUID();
    const events = [
      passwordChangedEvent(account),
      passwordChangedEvent(slow),
      passwordChangedEvent(poison),
      passwordChangedEvent(account),
    ];
    for (const event of events) {
      await consumer.produce(TOPICS.securityEvents, [{ key: 'one-partition', value: JSON.stringify(event) }]);
    }
    await waitFor(() => effect.seen.length === 3 && dlq.length === 1, { what: 'three effects and one dead letter' });
    const expected = [events[0], events[1], events[3]].map((e) => e?.eventId);
    expect(effect.seen.map((s) => s.eventId)).toEqual(expected);
    expect(effect.overlapped()).toBe(false);
    expect(effect.keepAlives()).toBe(5);
    expect(dlq[0]?.headers['dlq-error-code']).toBe('test_poison');
    expect(dlq[0]?.value).toBe(JSON.stringify(events[2]));
  });

  it('on the embedded bus: outbox rows reach the effect once each, and PermanentError lands in dead_letters', async () => {
    const poison = randomUUID();
    const effect = recordingEffect(`test.effect-embedded.${randomUUID().slice(0, 8)}`, { poison });
    const embedded = bus('embedded');
    embedded.subscribe(effect.handler);
    const events = [passwordChangedEvent(), passwordChangedEvent(poison), passwordChangedEvent()];
    await db.db.transaction().execute(async (trx) => {
      for (const event of events) await enqueueEvent(trx, 'test-effects', TOPICS.securityEvents, event);
    });
    await embedded.start();
    await waitFor(() => effect.seen.length === 2, { what: 'both good events' });
    const letters = await db.db
      .selectFrom('dead_letters')
      .select(['error_code', 'payload'])
      .where('consumer_group', '=', effect.handler.group)
      .execute();
    expect(letters).toHaveLength(1);
    expect(letters[0]?.error_code).toBe('test_poison');
    expect(effect.seen.map((s) => s.eventId)).toEqual([events[0]?.eventId, events[2]?.eventId]);
    // Nothing is left for another round: the rows are marked sent.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(effect.seen).toHaveLength(2);
  });
});
