import { randomUUID } from 'node:crypto';
import { physicalTopic, TOPICS } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { createEventBus, type EventBus } from '@wallet-guard/messaging';
import { createLogger, createMetricsRegistry } from '@wallet-guard/observability';
import { waitFor } from '@wallet-guard/testing';
import { sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CasesHarness, casesOf, lockedEvent, securityEvent, startCases, theftEvent } from '../testing/harness';
import { securityEventsHandler } from './security-events';
import { theftSuspectedHandler } from './theft';

let h: CasesHarness;
const extraBuses: EventBus[] = [];

beforeAll(async () => {
  h = await startCases({ kafka: true });
});
afterAll(async () => {
  for (const bus of extraBuses) await bus.stop();
  await h.close();
});

/** True once the consumer group applied the event (its inbox row commits with the handler's writes). */
const applied = async (group: string, eventId: string) =>
  (await h.db.db
    .selectFrom('inbox')
    .select('event_id')
    .where('consumer_group', '=', group)
    .where('event_id', '=', eventId)
    .executeTakeFirst()) !== undefined;

/** A delivered event as a handler receives it, for tests that call handlers directly. */
const delivered = <E extends { accountId: string }>(event: E, topic: string) => ({
  event,
  topic,
  partition: 0,
  offset: '0',
  key: event.accountId,
});

/**
 * Runs `first` in a transaction and keeps it open while `second` runs in another one, then
 * commits `first`: `second` either waits on a lock `first` holds or runs beside it unaware.
 * Deterministic: `first` commits only once `second` has finished or is seen waiting on a lock.
 */
async function overlapping(
  first: (trx: Transaction<Database>) => Promise<void>,
  second: (trx: Transaction<Database>) => Promise<void>,
) {
  let firstApplied!: () => void;
  const firstReady = new Promise<void>((r) => {
    firstApplied = r;
  });
  let commit!: () => void;
  const held = new Promise<void>((r) => {
    commit = r;
  });
  const one = h.db.db.transaction().execute(async (trx) => {
    await first(trx);
    firstApplied();
    await held;
  });
  await firstReady;
  let secondDone = false;
  const two = h.db.db
    .transaction()
    .execute(second)
    .finally(() => {
      secondDone = true;
    });
  await waitFor(
    async () => {
      if (secondDone) return true;
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`.execute(h.db.db);
      return (rows[0]?.n ?? 0) > 0;
    },
    { what: 'the second transaction finished or waiting', intervalMs: 20 },
  );
  commit();
  await Promise.all([one, two]);
}

const produce = (topic: string, events: { accountId: string }[]) =>
  h.kafka?.produce(
    topic,
    events.map((e) => ({ key: e.accountId, value: JSON.stringify(e) })),
  );

describe('cases opened from Kafka events', () => {
  it('opens one lockout case per account; repeated lockouts add occurrences, a redelivered event adds nothing', async () => {
    const accountId = randomUUID();
    const first = lockedEvent(accountId, 5);
    await produce(TOPICS.securityEvents, [first, lockedEvent(accountId, 6), lockedEvent(accountId, 7)]);
    await waitFor(async () => (await casesOf(h, accountId))[0]?.occurrence_count === 3, { what: 'three occurrences' });
    await produce(TOPICS.securityEvents, [first]);
    const marker = lockedEvent(accountId, 8);
    await produce(TOPICS.securityEvents, [marker]);
    await waitFor(async () => (await casesOf(h, accountId))[0]?.occurrence_count === 4, { what: 'marker occurrence' });
    const cases = await casesOf(h, accountId);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ type: 'account_lockout', priority: 'P3', status: 'new', occurrence_count: 4 });
    const evidence = await h.db.db
      .selectFrom('case_evidence')
      .select(['kind', 'ref'])
      .where('case_id', '=', cases[0]?.id as string)
      .execute();
    expect(evidence.filter((e) => e.kind === 'security_event')).toHaveLength(4);
  });

  it('announces the new case on support.case-events.v1', async () => {
    const events = await h.kafka?.collect(TOPICS.caseEvents);
    const accountId = randomUUID();
    await produce(TOPICS.securityEvents, [lockedEvent(accountId)]);
    const opened = await waitFor(
      () =>
        events
          ?.map((m) => m.json<{ type: string; accountId: string; payload: { caseNumber: string } }>())
          .find((e) => e.accountId === accountId),
      { what: 'case.opened' },
    );
    expect(opened.type).toBe('case.opened');
    expect(opened.payload.caseNumber).toMatch(/^CASE-\d{6}$/);
  });

  it('opens a P1 frozen case and a P2 session-hijack case', async () => {
    const accountId = randomUUID();
    await produce(TOPICS.securityEvents, [
      securityEvent({ type: 'account.frozen', accountId, payload: { by: 'user', reason: 'phone stolen' } }),
      securityEvent({ type: 'refresh_token.reused', accountId, payload: { sessionId: randomUUID() } }),
    ]);
    await waitFor(async () => (await casesOf(h, accountId)).length === 2, { what: 'two cases' });
    const cases = await casesOf(h, accountId);
    expect(cases.map((c) => [c.type, c.priority]).sort()).toEqual([
      ['account_frozen', 'P1'],
      ['session_hijack_suspected', 'P2'],
    ]);
  });

  it('opens one P1 cloned-authenticator case per account when a passkey counter goes backwards', async () => {
    const accountId = randomUUID();
    const passkeyId = randomUUID();
    const regressed = (presentedCounter: number) =>
      securityEvent({
        type: 'passkey.counter_regressed',
        accountId,
        payload: { passkeyId, storedCounter: 7, presentedCounter, context: { ip: '203.0.113.9' } },
      });
    await produce(TOPICS.securityEvents, [regressed(3), regressed(1)]);
    await waitFor(async () => (await casesOf(h, accountId))[0]?.occurrence_count === 2, { what: 'cloned case' });
    const cases = await casesOf(h, accountId);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ type: 'cloned_authenticator_suspected', priority: 'P1' });
    const timeline = await h.db.db
      .selectFrom('case_timeline')
      .select('body')
      .where('case_id', '=', cases[0]?.id as string)
      .execute();
    expect(timeline.map((t) => t.body).join('\n')).toContain(`Passkey ${passkeyId} presented signature counter 3`);
  });

  it('joins a theft suspicion to the open lockout case: one P1 case with both', async () => {
    const accountId = randomUUID();
    await produce(TOPICS.securityEvents, [lockedEvent(accountId)]);
    await waitFor(async () => (await casesOf(h, accountId)).length === 1, { what: 'lockout case' });
    const theft = theftEvent(accountId);
    await produce(TOPICS.theftSuspected, [theft]);
    await waitFor(async () => (await casesOf(h, accountId))[0]?.priority === 'P1', { what: 'priority raised' });
    const cases = await casesOf(h, accountId);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ type: 'account_lockout', priority: 'P1', occurrence_count: 2 });
    const caseId = cases[0]?.id as string;
    const evidence = await h.db.db
      .selectFrom('case_evidence')
      .select(['kind', 'ref'])
      .where('case_id', '=', caseId)
      .execute();
    expect(evidence).toEqual(
      expect.arrayContaining([
        { kind: 'flag', ref: theft.payload.flagIds[0] },
        { kind: 'transaction', ref: theft.payload.transactionIds[0] },
        { kind: 'security_event', ref: theft.payload.securityEventIds[0] },
      ]),
    );
    const timeline = await h.db.db
      .selectFrom('case_timeline')
      .select(['kind', 'old_value', 'new_value'])
      .where('case_id', '=', caseId)
      .orderBy('id')
      .execute();
    expect(timeline.map((t) => t.kind)).toEqual(['opened', 'linked', 'priority_changed']);
    expect(timeline[2]).toMatchObject({ old_value: 'P3', new_value: 'P1' });
    // The deadlines follow the new priority (P1: first response within 15 minutes of opening).
    const c = cases[0] as { opened_at: Date };
    const updated = await h.db.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(updated.first_response_due_at.getTime() - c.opened_at.getTime()).toBe(15 * 60_000);
    // Later theft signals on the account land in the same case.
    await produce(TOPICS.theftSuspected, [theftEvent(accountId)]);
    await waitFor(async () => (await casesOf(h, accountId))[0]?.occurrence_count === 3, { what: 'third occurrence' });
    expect(await casesOf(h, accountId)).toHaveLength(1);
  });

  it('opens a P1 suspected-theft case when the account has no open case', async () => {
    const accountId = randomUUID();
    await produce(TOPICS.theftSuspected, [theftEvent(accountId)]);
    await waitFor(async () => (await casesOf(h, accountId)).length === 1, { what: 'theft case' });
    expect((await casesOf(h, accountId))[0]).toMatchObject({ type: 'suspected_theft', priority: 'P1' });
  });

  it('resolves an unclaimed lockout case when the user unlocks the account, but not a claimed one', async () => {
    const [mine, theirs] = [randomUUID(), randomUUID()];
    await produce(TOPICS.securityEvents, [lockedEvent(mine), lockedEvent(theirs)]);
    await waitFor(async () => (await casesOf(h, theirs)).length === 1, { what: 'two lockout cases' });
    const claimed = (await casesOf(h, theirs))[0]?.id as string;
    expect((await h.asAgent('alice', 'agent', { method: 'POST', url: `/v1/cases/${claimed}/claim` })).statusCode).toBe(
      200,
    );
    const theirUnlock = securityEvent({ type: 'account.unlocked', accountId: theirs, payload: { by: 'reset' } });
    await produce(TOPICS.securityEvents, [
      securityEvent({ type: 'account.unlocked', accountId: mine, payload: { by: 'user' } }),
      theirUnlock,
    ]);
    await waitFor(async () => (await casesOf(h, mine))[0]?.status === 'resolved', {
      what: 'self-unlocked case resolved',
    });
    expect((await casesOf(h, mine))[0]).toMatchObject({ outcome: 'self_unlocked' });
    // Checked once their unlock has been applied, not after a guess at how long that takes.
    await waitFor(() => applied('support-cases.security-events', theirUnlock.eventId), {
      what: 'their unlock applied',
    });
    expect((await casesOf(h, theirs))[0]).toMatchObject({ status: 'open', assignee: 'alice', outcome: null });
  });

  it('keeps one case when two consumer instances apply the same account at the same time', async () => {
    const second = createEventBus({
      db: h.db.db,
      kafka: { brokers: h.kafka?.brokers ?? [], clientId: 'second', topicPrefix: h.kafka?.prefix ?? '' },
      logger: createLogger({ service: 'second', level: 'silent' }),
      metrics: createMetricsRegistry('second', { processMetrics: false }),
      outbox: { pollIntervalMs: 50, batchSize: 100 },
    });
    const handler = securityEventsHandler(h.context);
    let handledBySecond = 0;
    second.subscribe({
      ...handler,
      handle: async (trx, events) => {
        handledBySecond += events.length;
        await handler.handle(trx, events);
      },
    });
    extraBuses.push(second);
    await second.start();
    // Both instances in the group, each with partitions of its own, before anything is sent.
    const admin = await (h.kafka as NonNullable<typeof h.kafka>).getAdmin();
    const groupId = physicalTopic('support-cases.security-events', h.kafka?.prefix ?? '');
    await waitFor(
      async () => {
        const [group] = (await admin.describeGroups([groupId])).groups;
        return group?.state === 'Stable' && group.members.length === 2;
      },
      { what: 'two members in the consumer group', timeoutMs: 60_000 },
    );
    // Each record under a key of its own, so one account's locks spread over the partitions, and
    // so over both instances, which then apply the same account at the same moment.
    const accounts = Array.from({ length: 12 }, () => randomUUID());
    const events = accounts.flatMap((a) => [lockedEvent(a), lockedEvent(a), lockedEvent(a), lockedEvent(a)]);
    await h.kafka?.produce(
      TOPICS.securityEvents,
      events.map((e) => ({ key: randomUUID(), value: JSON.stringify(e) })),
    );
    for (const a of accounts) {
      await waitFor(async () => (await casesOf(h, a)).reduce((n, c) => n + c.occurrence_count, 0) === 4, {
        what: `four occurrences for ${a}`,
      });
    }
    for (const a of accounts) expect(await casesOf(h, a)).toHaveLength(1);
    // Both instances took part.
    expect(handledBySecond).toBeGreaterThan(0);
    expect(handledBySecond).toBeLessThan(events.length);
  });

  it('opens one case per account when the lockout and the theft suspicion are applied at the same moment', async () => {
    const deps = h.context;
    const onLock = securityEventsHandler(deps);
    const onTheft = theftSuspectedHandler(deps);
    // The lockout's transaction has opened its case but not committed when the theft's starts,
    // and the other way round.
    const a = randomUUID();
    await overlapping(
      (trx) => onLock.handle(trx, [delivered(lockedEvent(a), TOPICS.securityEvents)]),
      (trx) => onTheft.handle(trx, [delivered(theftEvent(a), TOPICS.theftSuspected)]),
    );
    const b = randomUUID();
    await overlapping(
      (trx) => onTheft.handle(trx, [delivered(theftEvent(b), TOPICS.theftSuspected)]),
      (trx) => onLock.handle(trx, [delivered(lockedEvent(b), TOPICS.securityEvents)]),
    );
    expect((await casesOf(h, a)).map((c) => [c.type, c.priority, c.occurrence_count])).toEqual([
      ['account_lockout', 'P1', 2],
    ]);
    expect((await casesOf(h, b)).map((c) => [c.type, c.priority, c.occurrence_count])).toEqual([
      ['suspected_theft', 'P1', 2],
    ]);

    // And through Kafka: both topics at once, for many accounts.
    const accounts = Array.from({ length: 15 }, () => randomUUID());
    await Promise.all([
      produce(
        TOPICS.securityEvents,
        accounts.map((id) => lockedEvent(id)),
      ),
      produce(
        TOPICS.theftSuspected,
        accounts.map((id) => theftEvent(id)),
      ),
    ]);
    for (const id of accounts) {
      await waitFor(async () => (await casesOf(h, id)).reduce((n, c) => n + c.occurrence_count, 0) === 2, {
        what: `both incidents of ${id} applied`,
      });
    }
    for (const id of accounts) {
      expect(
        (await casesOf(h, id)).map((c) => [c.priority, c.occurrence_count]),
        id,
      ).toEqual([['P1', 2]]);
    }
  });
});
