// Garbage on every topic some service consumes: random bytes, malformed JSON, envelopes that
// break the contract, and a contract-valid event Postgres cannot store. Each record ends on
// `<topic>.dlq` with its reason, the consumers keep running (a valid event sent after the garbage
// is applied), and every consumer group's lag returns to zero. The consumed topics and groups are
// discovered from the broker, so a new consumer is covered as soon as it joins.
import { randomUUID } from 'node:crypto';
import { deadLetterTopic, exampleEvents, type Topic, topicSchemas } from '@wallet-guard/contracts';
import { waitFor } from '@wallet-guard/testing';
import fc from 'fast-check';
import { AssignerProtocol } from 'kafkajs';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type System, startSystem } from '../e2e/system';

let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(() => system.stop());

interface Consumption {
  /** The group's name on the broker (with this file's prefix). */
  group: string;
  /** The logical topic. */
  topic: Topic;
  db: Kysely<unknown>;
}

/** Which service a consumer group belongs to: its name starts with the service's. */
function databaseOf(group: string): Kysely<unknown> {
  const name = group.slice(system.kafka.prefix.length);
  if (name.startsWith('transaction-monitor.')) return system.monitor.db.db as Kysely<unknown>;
  if (name.startsWith('support-cases.')) return system.cases.db.db as Kysely<unknown>;
  if (name.startsWith('auth.')) return system.auth.db.db as Kysely<unknown>;
  throw new Error(`no service owns the consumer group ${group}`);
}

/** Every (group, topic) the running services consume, from the broker's view of the groups. */
async function consumptions(): Promise<Consumption[]> {
  const admin = await system.kafka.getAdmin();
  const groups = (await admin.listGroups()).groups
    .map((g) => g.groupId)
    .filter((g) => g.startsWith(system.kafka.prefix) && !g.includes('collector'));
  const described = await admin.describeGroups(groups);
  const found: Consumption[] = [];
  for (const group of described.groups) {
    const topics = new Set<string>();
    for (const member of group.members) {
      const assignment = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      for (const topic of Object.keys(assignment?.assignment ?? {})) topics.add(topic);
    }
    for (const topic of topics) {
      found.push({
        group: group.groupId,
        topic: topic.slice(system.kafka.prefix.length) as Topic,
        db: databaseOf(group.groupId),
      });
    }
  }
  return found;
}

/** Records behind the committed offsets of a group on a topic (0: it has consumed everything). */
async function lag(group: string, topic: string): Promise<number> {
  const admin = await system.kafka.getAdmin();
  const physical = system.kafka.topic(topic);
  const [ends, committed] = await Promise.all([
    admin.fetchTopicOffsets(physical),
    admin.fetchOffsets({ groupId: group, topics: [physical] }),
  ]);
  const done = new Map(committed[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
  return ends.reduce((sum, p) => sum + Number(p.high) - Math.max(Number(p.low), done.get(p.partition) ?? -1), 0);
}

/** A fresh copy of the topic's example event: new event and account ids (and transaction id). */
function validEvent(topic: Topic, accountId: string): Record<string, unknown> {
  const example = structuredClone(exampleEvents[topic]) as Record<string, unknown> & {
    payload: Record<string, unknown>;
  };
  example.eventId = randomUUID();
  example.accountId = accountId;
  if ('accountId' in example.payload) example.payload.accountId = accountId;
  if ('transactionId' in example.payload) example.payload.transactionId = `tx-${randomUUID()}`;
  return example;
}

/** Whether the group applied the event: its inbox row, or (the monitor's transactions) the transaction. */
async function applied(consumption: Consumption, event: Record<string, unknown>): Promise<boolean> {
  const payload = event.payload as { transactionId?: string };
  if (consumption.group.endsWith('transaction-monitor.transactions')) {
    const { rows } =
      await sql`select 1 from monitor_transactions where transaction_id = ${payload.transactionId}`.execute(
        consumption.db,
      );
    return rows.length === 1;
  }
  const { rows } = await sql`select 1 from inbox where consumer_group = ${consumption.group.slice(
    system.kafka.prefix.length,
  )} and event_id = ${event.eventId as string}`.execute(consumption.db);
  return rows.length === 1;
}

/** What each topic receives: random bytes, broken JSON, contract breaches, unstorable text. */
function garbageFor(topic: Topic, accountId: string): { label: string; value: Buffer | string | null }[] {
  const example = () => validEvent(topic, accountId);
  const random = fc
    .sample(fc.uint8Array({ minLength: 1, maxLength: 300 }), { numRuns: 15 })
    .map((bytes, i) => ({ label: `random bytes #${i}`, value: Buffer.from(bytes) }));
  const text = (label: string, value: string) => ({ label, value });
  const withBadBytes = Buffer.from(JSON.stringify(example()).replace(/"eventId":"[^"]+"/, '"eventId":"\u0001"'));
  withBadBytes[withBadBytes.indexOf(1)] = 0xff;
  return [
    ...random,
    { label: 'an empty record', value: Buffer.alloc(0) },
    { label: 'a tombstone (null value)', value: null },
    text('truncated JSON', '{"eventId":'),
    text('JSON null', 'null'),
    text('a JSON array', '[]'),
    text('a JSON number', '42'),
    text('an empty object', '{}'),
    text('__proto__ poisoning', '{"__proto__":{"polluted":true}}'),
    text('100,000 nested arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`),
    text('a huge string', JSON.stringify({ eventId: 'x'.repeat(500_000) })),
    text('an envelope with a bad eventId', JSON.stringify({ ...example(), eventId: 'not-a-uuid' })),
    text('an envelope without a payload', JSON.stringify({ ...example(), payload: undefined })),
    text('an unknown version', JSON.stringify({ ...example(), version: 999 })),
    text('an unknown type', JSON.stringify({ ...example(), type: 'nonsense.happened' })),
    text('a payload with wrong types', JSON.stringify({ ...example(), payload: { accountId: 12, amountMinor: [] } })),
    { label: 'bytes that are not UTF-8 in the eventId', value: withBadBytes },
  ];
}

/**
 * A contract-valid event with NUL in one of its texts, which Postgres refuses: a handler that
 * stores that text fails, and the record must be isolated (dead-lettered) rather than block the
 * partition; a handler that ignores the text applies it.
 */
function unstorableEvent(topic: Topic, accountId: string): Record<string, unknown> | undefined {
  const base = validEvent(topic, accountId);
  const leaves: string[][] = [];
  const walk = (value: unknown, path: string[]) => {
    if (typeof value === 'string') leaves.push(path);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    }
  };
  walk(base.payload, ['payload']);
  for (const path of leaves) {
    const event = structuredClone(base);
    const parent = path.slice(0, -1).reduce((o, k) => (o as Record<string, unknown>)[k], event as unknown) as Record<
      string,
      unknown
    >;
    const key = path.at(-1) as string;
    parent[key] = `${parent[key] as string}\u0000`;
    if ((topicSchemas[topic] as { safeParse(v: unknown): { success: boolean } }).safeParse(event).success) return event;
  }
  return undefined;
}

describe('garbage on every consumed topic', () => {
  it('dead-letters each record with its reason, applies the next valid event, and lag returns to zero', async () => {
    // Every consumer group has joined and holds its partitions.
    const expected = await waitFor(
      async () => {
        const found = await consumptions();
        return found.length >= 4 ? found : undefined;
      },
      { what: 'the services to join their consumer groups', timeoutMs: 60_000 },
    );
    const topics = [...new Set(expected.map((c) => c.topic))];
    expect(topics.sort()).toEqual(
      expect.arrayContaining(['auth.security-events.v1', 'risk.theft-suspected.v1', 'wallet.transactions.v1']),
    );

    const deadLetters = new Map<Topic, Awaited<ReturnType<typeof system.kafka.collect>>>();
    for (const topic of topics) deadLetters.set(topic, await system.kafka.collect(deadLetterTopic(topic)));

    interface Sent {
      garbage: number;
      unstorable: Record<string, unknown>;
      valid: Record<string, unknown>;
    }
    const sent = new Map<Topic, Sent>();
    for (const topic of topics) {
      // One key for the garbage and the valid event: one partition, so the valid one comes after.
      const accountId = randomUUID();
      const garbage = garbageFor(topic, accountId);
      const unstorable = unstorableEvent(topic, accountId);
      if (!unstorable) throw new Error(`no text field in the ${topic} example to put NUL into`);
      const valid = validEvent(topic, accountId);
      await system.kafka.produce(topic, [
        ...garbage.map((g) => ({ key: accountId, value: g.value })),
        { key: accountId, value: JSON.stringify(unstorable) },
        { key: accountId, value: JSON.stringify(valid) },
      ]);
      sent.set(topic, { garbage: garbage.length, unstorable, valid });
    }

    for (const consumption of expected) {
      const { garbage, unstorable, valid } = sent.get(consumption.topic) as Sent;
      const groupName = consumption.group.slice(system.kafka.prefix.length);
      await waitFor(() => applied(consumption, valid), {
        what: `${groupName} to apply the valid event after the garbage on ${consumption.topic}`,
        timeoutMs: 60_000,
      });
      const letters = () =>
        (deadLetters.get(consumption.topic) ?? []).filter((m) => m.headers['dlq-consumer-group'] === groupName);
      await waitFor(() => letters().length >= garbage, {
        what: `${garbage} dead letters from ${groupName} on ${deadLetterTopic(consumption.topic)}`,
        timeoutMs: 30_000,
      });
      // The unstorable event is either dead-lettered (its handler stores the text) or applied.
      const isolated = letters().some((l) => l.value?.includes(unstorable.eventId as string));
      expect([groupName, isolated || (await applied(consumption, unstorable))]).toEqual([groupName, true]);
      expect(letters()).toHaveLength(garbage + (isolated ? 1 : 0));
      for (const letter of letters()) {
        expect(letter.headers['dlq-error-code']).toMatch(/^[a-z_]+$/);
        expect(letter.headers['dlq-error-message']?.length).toBeGreaterThan(0);
        expect(letter.headers['dlq-source-topic']).toBe(system.kafka.topic(consumption.topic));
      }
      const reasons = new Set(letters().map((l) => l.headers['dlq-error-code']));
      expect([...reasons].sort()).toEqual(expect.arrayContaining(['invalid_json', 'schema_violation']));
      await waitFor(async () => (await lag(consumption.group, consumption.topic)) === 0, {
        what: `${groupName}'s lag on ${consumption.topic} to return to zero`,
        timeoutMs: 30_000,
      });
    }

    const total = [...sent.values()].reduce((n, s) => n + s.garbage + 1, 0);
    console.log(
      `garbage: ${total} bad records on ${topics.length} topics, consumed by ${expected.length} group(s): ` +
        'every one dead-lettered with its reason or applied, lag back to 0',
    );
    // Still members of their groups: nobody crashed out.
    const after = await consumptions();
    expect(after.map((c) => `${c.group} ${c.topic}`).sort()).toEqual(
      expected.map((c) => `${c.group} ${c.topic}`).sort(),
    );
  });
});
