import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS } from '@wallet-guard/contracts';
import { type DatabaseHandle, migrateToLatest, openDatabase } from '@wallet-guard/db';
import {
  createEventBus,
  type EventBus,
  type EventHandler,
  enqueueEvent,
  PermanentError,
  pruneMessaging,
} from '@wallet-guard/messaging';
import { createMetricsRegistry } from '@wallet-guard/observability';
import { waitFor } from '@wallet-guard/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEffectsTable, effects, passwordChangedEvent, recordingHandler, silentLogger } from './support';

const dir = mkdtempSync(join(tmpdir(), 'wg-embedded-'));
let handle: DatabaseHandle;
let bus: EventBus | undefined;

const embeddedBus = (db: DatabaseHandle, handlers: EventHandler[]) => {
  const created = createEventBus({
    db: db.db,
    kafka: undefined,
    logger: silentLogger,
    metrics: createMetricsRegistry('test', { processMetrics: false }),
    outbox: { pollIntervalMs: 20, batchSize: 100 },
  });
  for (const h of handlers) created.subscribe(h);
  return created;
};

beforeAll(async () => {
  handle = await openDatabase({ dataDir: dir });
  await migrateToLatest(handle.db);
  await createEffectsTable(handle.db);
});

afterAll(async () => {
  await bus?.stop();
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('embedded bus (no broker)', () => {
  it('delivers outbox rows written before a restart to in-process subscribers, once', async () => {
    const events = [passwordChangedEvent(), passwordChangedEvent(), passwordChangedEvent()];
    await handle.db.transaction().execute(async (trx) => {
      for (const e of events) await enqueueEvent(trx, 'auth', TOPICS.securityEvents, e);
    });
    await handle.close();

    handle = await openDatabase({ dataDir: dir });
    bus = embeddedBus(handle, [recordingHandler('cases.security')]);
    await bus.start();
    await waitFor(async () => (await effects(handle.db)).length === 3, { what: 'three events applied' });
    expect((await effects(handle.db)).sort()).toEqual(events.map((e) => e.eventId).sort());

    // As if the process died after delivering but before marking the rows sent.
    await handle.db.updateTable('outbox').set({ published_at: null }).execute();
    await waitFor(
      async () =>
        (await handle.db.selectFrom('outbox').select('id').where('published_at', 'is', null).execute()).length === 0,
      { what: 'redelivered rows marked' },
    );
    expect(await effects(handle.db)).toHaveLength(3);
  });

  it('dead-letters a row that breaks its contract and one the handler rejects; the rest are applied', async () => {
    await bus?.stop();
    await sql`truncate test_effects`.execute(handle.db);
    const poison = passwordChangedEvent();
    const recording = recordingHandler('cases.poison');
    const rejecting: EventHandler<typeof TOPICS.securityEvents> = {
      ...recording,
      async handle(trx, delivered) {
        if (delivered.some((d) => d.event.eventId === poison.eventId))
          throw new PermanentError('unsupported', 'cannot apply this one');
        await recording.handle(trx, delivered);
      },
    };
    bus = embeddedBus(handle, [rejecting as EventHandler]);
    const good = [passwordChangedEvent(), passwordChangedEvent()];
    await handle.db.transaction().execute(async (trx) => {
      await enqueueEvent(trx, 'auth', TOPICS.securityEvents, good[0] as (typeof good)[number]);
      await enqueueEvent(trx, 'auth', TOPICS.securityEvents, poison);
      await enqueueEvent(trx, 'auth', TOPICS.securityEvents, good[1] as (typeof good)[number]);
      // Bypasses validation on purpose: a row no consumer can parse.
      await trx
        .insertInto('outbox')
        .values({
          event_id: '00000000-0000-4000-8000-000000000001',
          producer: 'auth',
          topic: TOPICS.securityEvents,
          message_key: 'k',
          payload: JSON.stringify({ type: 'password.changed', eventId: 'nope' }),
          headers: '{}',
        })
        .execute();
    });
    await bus.start();
    await waitFor(async () => (await handle.db.selectFrom('dead_letters').selectAll().execute()).length === 2, {
      what: 'two dead letters',
    });
    const letters = await handle.db.selectFrom('dead_letters').selectAll().orderBy('id').execute();
    expect(letters.map((l) => [l.consumer_group, l.error_code]).sort()).toEqual([
      ['cases.poison', 'schema_violation'],
      ['cases.poison', 'unsupported'],
    ]);
    const rejected = letters.find((l) => l.error_code === 'unsupported');
    expect(JSON.parse(rejected?.payload ?? '{}').eventId).toBe(poison.eventId);
    expect(rejected?.error_message).toBe('cannot apply this one');
    await waitFor(async () => (await effects(handle.db)).length === 2, { what: 'good events applied' });
    expect((await effects(handle.db)).sort()).toEqual(good.map((e) => e.eventId).sort());
  });

  it('prunes sent outbox rows and inbox records past their retention, keeping recent ones', async () => {
    await bus?.stop();
    bus = undefined;
    const old = new Date(Date.now() - 30 * 86_400_000);
    await handle.db.updateTable('outbox').set({ published_at: old }).where('published_at', 'is not', null).execute();
    await handle.db.updateTable('inbox').set({ processed_at: old }).execute();
    const fresh = passwordChangedEvent();
    await handle.db.transaction().execute((trx) => enqueueEvent(trx, 'auth', TOPICS.securityEvents, fresh));
    const removed = await pruneMessaging(handle.db);
    expect(removed.outbox).toBeGreaterThan(0);
    expect(removed.inbox).toBeGreaterThan(0);
    const left = await handle.db.selectFrom('outbox').select('event_id').execute();
    expect(left.map((r) => r.event_id)).toEqual([fresh.eventId]);
  });
});
