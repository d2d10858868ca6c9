import { TOPICS } from '@wallet-guard/contracts';
import { commitThenDeliver, enqueueEvent } from '@wallet-guard/messaging';
import { createTestDatabase, type TestDatabase } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordChangedEvent } from './support';

let handle: TestDatabase;

beforeAll(async () => {
  handle = await createTestDatabase();
});

afterAll(async () => {
  await handle.drop();
});

/** Outbox rows of these events that another connection can see, i.e. committed ones. */
const committedRows = async (eventIds: string[]) =>
  (await handle.db.selectFrom('outbox').select('event_id').where('event_id', 'in', eventIds).execute()).length;

/** A bus that records, at each nudge, how many of the events were already committed. */
const recordingBus = (eventIds: string[]) => {
  const nudges: number[] = [];
  return {
    nudges,
    pending: [] as Promise<void>[],
    nudge() {
      this.pending.push(committedRows(eventIds).then((n) => void nudges.push(n)));
    },
  };
};

describe('commitThenDeliver', () => {
  it('nudges the bus once, after the outbox rows are committed, and returns what the work returned', async () => {
    const events = [passwordChangedEvent(), passwordChangedEvent()];
    const ids = events.map((e) => e.eventId);
    const bus = recordingBus(ids);

    const result = await commitThenDeliver(handle.db, bus, async (trx) => {
      for (const event of events) await enqueueEvent(trx, 'auth', TOPICS.securityEvents, event);
      expect(bus.pending).toHaveLength(0); // not while the transaction is open
      return 'done';
    });
    await Promise.all(bus.pending);

    expect(result).toBe('done');
    expect(bus.nudges).toEqual([2]);
  });

  it('never nudges after a rollback, throws what the work threw, and leaves no outbox row', async () => {
    const event = passwordChangedEvent();
    const bus = recordingBus([event.eventId]);
    const failure = new Error('the case was claimed meanwhile');

    await expect(
      commitThenDeliver(handle.db, bus, async (trx) => {
        await enqueueEvent(trx, 'auth', TOPICS.securityEvents, event);
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect(bus.pending).toHaveLength(0);
    expect(await committedRows([event.eventId])).toBe(0);
  });

  it('never nudges when the commit itself fails', async () => {
    const event = passwordChangedEvent();
    const bus = recordingBus([event.eventId]);

    // The same event id twice: the second row violates the outbox key, so nothing commits.
    await expect(
      commitThenDeliver(handle.db, bus, async (trx) => {
        await enqueueEvent(trx, 'auth', TOPICS.securityEvents, event);
        await enqueueEvent(trx, 'auth', TOPICS.securityEvents, event);
      }),
    ).rejects.toThrow();

    expect(bus.pending).toHaveLength(0);
    expect(await committedRows([event.eventId])).toBe(0);
  });
});
