import { type AnyEnvelope, type EventOf, type Topic, topicSchemas } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { Transaction } from 'kysely';
import type { z } from 'zod';

export interface OutboxMessage<T extends Topic = Topic> {
  topic: T;
  event: EventOf<T>;
  /** Kafka key; defaults to the event's accountId so an account's events stay in order. */
  key?: string;
}

/**
 * Writes events to the outbox inside the caller's transaction: they are sent if and only if
 * the transaction commits. Validates each event against its topic's contract first (a producer
 * bug fails the transaction instead of poisoning a topic).
 */
export async function enqueueEvents(
  trx: Transaction<Database>,
  producer: string,
  messages: readonly OutboxMessage[],
): Promise<void> {
  if (messages.length === 0) return;
  const rows = messages.map(({ topic, event, key }) => {
    const parsed = (topicSchemas[topic] as z.ZodType).parse(event) as AnyEnvelope;
    return {
      event_id: parsed.eventId,
      producer,
      topic,
      message_key: key ?? parsed.accountId,
      payload: JSON.stringify(parsed),
      headers: JSON.stringify({ 'event-type': parsed.type, 'event-version': String(parsed.version) }),
    };
  });
  await trx.insertInto('outbox').values(rows).execute();
}

export function enqueueEvent<T extends Topic>(
  trx: Transaction<Database>,
  producer: string,
  topic: T,
  event: EventOf<T>,
  key?: string,
): Promise<void> {
  return enqueueEvents(trx, producer, [{ topic, event, ...(key ? { key } : {}) } as OutboxMessage]);
}
