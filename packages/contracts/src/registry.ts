import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Producer } from './envelope';
import { caseEvent } from './events/cases';
import { muleDestinationDetected } from './events/mule-destination';
import { notification } from './events/notifications';
import { theftSuspected, transactionFlagged } from './events/risk';
import { securityEvent } from './events/security-events';
import { transactionCreated } from './events/wallet-transactions';
import { TOPICS, type Topic } from './topics';

/** The schema every message on a topic must satisfy; consumers dead-letter what fails it. */
export const topicSchemas = {
  [TOPICS.walletTransactions]: transactionCreated,
  [TOPICS.securityEvents]: securityEvent,
  [TOPICS.notifications]: notification,
  [TOPICS.transactionFlags]: transactionFlagged,
  [TOPICS.theftSuspected]: theftSuspected,
  [TOPICS.muleDestinations]: muleDestinationDetected,
  [TOPICS.caseEvents]: caseEvent,
} as const satisfies Record<Topic, z.ZodType>;

export type TopicSchemas = typeof topicSchemas;
/** The parsed event type carried by a topic. */
export type EventOf<T extends Topic> = z.infer<TopicSchemas[T]>;
/** What a producer hands in before validation (defaults not yet applied). */
export type EventInputOf<T extends Topic> = z.input<TopicSchemas[T]>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Fields a producer supplies; id and time are filled in. */
export type NewEvent<T extends Topic> = DistributiveOmit<EventInputOf<T>, 'eventId' | 'occurredAt'> & {
  eventId?: string;
  occurredAt?: string;
};

/**
 * Builds and validates an event for a topic: fills `eventId` and `occurredAt`, applies defaults,
 * and throws a ZodError if the event breaks its contract (a producer bug, caught before it ships).
 */
export function createEvent<T extends Topic>(topic: T, event: NewEvent<T>): EventOf<T> {
  const schema = topicSchemas[topic] as z.ZodType;
  return schema.parse({
    ...event,
    eventId: event.eventId ?? randomUUID(),
    occurredAt: event.occurredAt ?? new Date().toISOString(),
  }) as EventOf<T>;
}

export type { Producer };
