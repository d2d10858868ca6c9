import { randomUUID } from 'node:crypto';
import { TOPICS } from '@wallet-guard/contracts';
import { createEventBus, type EventBus, enqueueEvent } from '@wallet-guard/messaging';
import { createMetricsRegistry } from '@wallet-guard/observability';
import { createTestDatabase, type TestDatabase, TestKafka, waitFor } from '@wallet-guard/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createEffectsTable,
  effects,
  eventIdOf,
  passwordChangedEvent,
  recordingHandler,
  silentLogger,
} from './support';

let db: TestDatabase;
let kafka: TestKafka;
const buses: EventBus[] = [];

function bus(options: { batchSize?: number } = {}): EventBus {
  const created = createEventBus({
    db: db.db,
    kafka: { brokers: kafka.brokers, clientId: 'test', topicPrefix: kafka.prefix },
    logger: silentLogger,
    metrics: createMetricsRegistry('test', { processMetrics: false }),
    outbox: { pollIntervalMs: 50, batchSize: options.batchSize ?? 100 },
  });
  buses.push(created);
  return created;
}

beforeAll(async () => {
  db = await createTestDatabase();
  kafka = new TestKafka();
  await kafka.createTopics();
  await createEffectsTable(db.db);
});

afterAll(async () => {
  await Promise.all(buses.map((b) => b.stop()));
  await kafka.cleanup();
  await db.drop();
});

describe('Kafka consumer wrapper', () => {
  it('applies valid records, dead-letters malformed ones with the reason and keeps going', async () => {
    await sql`truncate test_effects`.execute(db.db);
    const consumerBus = bus();
    consumerBus.subscribe(recordingHandler('test.consume'));
    await consumerBus.start();
    const dlq = await kafka.collect(`${TOPICS.securityEvents}.dlq`);

    const first = passwordChangedEvent();
    const last = passwordChangedEvent();
    const wrongShape = { ...passwordChangedEvent(), type: 'password.changed', accountId: 'not-a-uuid' };
    await consumerBus.produce(TOPICS.securityEvents, [{ key: first.accountId, value: JSON.stringify(first) }]);
    await kafka.produce(TOPICS.securityEvents, [{ key: first.accountId, value: '{"this is": not json' }]);
    await kafka.produce(TOPICS.securityEvents, [{ key: first.accountId, value: JSON.stringify(wrongShape) }]);
    await consumerBus.produce(TOPICS.securityEvents, [{ key: first.accountId, value: JSON.stringify(last) }]);

    await waitFor(async () => (await effects(db.db)).length === 2, { what: 'both valid events applied' });
    expect((await effects(db.db)).sort()).toEqual([first.eventId, last.eventId].sort());

    await waitFor(() => dlq.length === 2, { what: 'two dead letters' });
    const codes = dlq.map((m) => m.headers['dlq-error-code']).sort();
    expect(codes).toEqual(['invalid_json', 'schema_violation']);
    for (const letter of dlq) {
      expect(letter.headers['dlq-source-topic']).toBe(kafka.topic(TOPICS.securityEvents));
      expect(letter.headers['dlq-source-partition']).toMatch(/^\d+$/);
      expect(letter.headers['dlq-source-offset']).toMatch(/^\d+$/);
      expect(letter.headers['dlq-consumer-group']).toBe('test.consume');
      expect(letter.headers['dlq-error-message']?.length).toBeGreaterThan(0);
      expect(letter.key).toBe(first.accountId);
    }
    const schemaLetter = dlq.find((m) => m.headers['dlq-error-code'] === 'schema_violation');
    expect(schemaLetter?.headers['dlq-error-message']).toContain('accountId');
    expect(schemaLetter?.value).toBe(JSON.stringify(wrongShape));
  });

  it('applies an event delivered twice only once (inbox on eventId)', async () => {
    await sql`truncate test_effects`.execute(db.db);
    const consumerBus = bus();
    consumerBus.subscribe(recordingHandler('test.redelivery'));
    await consumerBus.start();
    const event = passwordChangedEvent();
    const record = { key: event.accountId, value: JSON.stringify(event) };
    await consumerBus.produce(TOPICS.securityEvents, [record, record]);
    await consumerBus.produce(TOPICS.securityEvents, [record]);
    const marker = passwordChangedEvent(event.accountId);
    await consumerBus.produce(TOPICS.securityEvents, [{ key: event.accountId, value: JSON.stringify(marker) }]);
    await waitFor(async () => (await effects(db.db, event.accountId)).includes(marker.eventId), {
      what: 'marker applied',
    });
    expect((await effects(db.db, event.accountId)).sort()).toEqual([event.eventId, marker.eventId].sort());
  });
});

describe('outbox relay', () => {
  it('publishes committed rows exactly once and never a rolled-back one', async () => {
    const producer = `p-${randomUUID().slice(0, 8)}`;
    const received = await kafka.collect(TOPICS.securityEvents);
    const rolledBack = passwordChangedEvent();
    await db.db
      .transaction()
      .execute(async (trx) => {
        await enqueueEvent(trx, producer, TOPICS.securityEvents, rolledBack);
        throw new Error('business rule failed after the event was written');
      })
      .catch(() => undefined);
    const committed = [passwordChangedEvent(), passwordChangedEvent()];
    await db.db.transaction().execute(async (trx) => {
      for (const event of committed) await enqueueEvent(trx, producer, TOPICS.securityEvents, event);
    });

    const relayBus = bus();
    relayBus.relay(producer);
    await relayBus.start();
    const ids = () => received.map((m) => eventIdOf(m));
    await waitFor(() => committed.every((e) => ids().includes(e.eventId)), { what: 'committed events on the topic' });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(ids().filter((id) => committed.some((e) => e.eventId === id))).toHaveLength(2);
    expect(ids()).not.toContain(rolledBack.eventId);
    const pending = await db.db
      .selectFrom('outbox')
      .select('id')
      .where('producer', '=', producer)
      .where('published_at', 'is', null)
      .execute();
    expect(pending).toHaveLength(0);
    const message = received.find((m) => eventIdOf(m) === committed[0]?.eventId);
    expect(message?.key).toBe(committed[0]?.accountId);
    expect(message?.headers['event-type']).toBe('password.changed');
  });

  it('does not resend a batch when it dies after the Kafka commit and before marking the rows', async () => {
    const producer = `p-${randomUUID().slice(0, 8)}`;
    const received = await kafka.collect(TOPICS.securityEvents);
    // The first attempt to mark rows sent fails, as if the process died right after Kafka committed.
    await sql`create sequence if not exists fault_once`.execute(db.db);
    await sql`
      create or replace function fail_first_mark() returns trigger language plpgsql as $$
      begin
        if new.producer = ${sql.lit(producer)} and nextval('fault_once') = 1 then
          raise exception 'injected fault: process died before marking the batch';
        end if;
        return new;
      end $$`.execute(db.db);
    await sql`
      create trigger outbox_fault before update of published_at on outbox
      for each row when (old.published_at is null and new.published_at is not null)
      execute function fail_first_mark()`.execute(db.db);

    const events = Array.from({ length: 250 }, () => passwordChangedEvent());
    await db.db.transaction().execute(async (trx) => {
      for (const event of events) await enqueueEvent(trx, producer, TOPICS.securityEvents, event);
    });
    const relayBus = bus({ batchSize: 100 });
    relayBus.relay(producer);
    await relayBus.start();

    const mine = () => received.filter((m) => events.some((e) => e.eventId === eventIdOf(m)));
    await waitFor(() => mine().length >= events.length, { what: 'all events published', timeoutMs: 30_000 });
    await waitFor(
      async () =>
        (
          await db.db
            .selectFrom('outbox')
            .select('id')
            .where('producer', '=', producer)
            .where('published_at', 'is', null)
            .execute()
        ).length === 0,
      { what: 'all rows marked sent' },
    );
    await new Promise((r) => setTimeout(r, 1_000));
    expect(mine()).toHaveLength(events.length);
    expect(new Set(mine().map((m) => eventIdOf(m))).size).toBe(events.length);
    // The fault really fired: the first marking raised, later ones went through.
    const { rows } = await sql<{ last_value: string }>`select last_value::text from fault_once`.execute(db.db);
    expect(Number(rows[0]?.last_value)).toBeGreaterThan(1);
    await sql`drop trigger outbox_fault on outbox`.execute(db.db);
  });
});
