import type { EventOf, Topic } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { Transaction } from 'kysely';

/** An event as a handler receives it, with where it came from. */
export interface DeliveredEvent<E> {
  event: E;
  topic: string;
  /** Kafka partition; null on the embedded bus. */
  partition: number | null;
  /** Kafka offset, or the outbox row id on the embedded bus. */
  offset: string;
  key: string | null;
}

/**
 * A consumer of one topic. The same handler runs on Kafka and on the embedded bus.
 *
 * `handle` receives events in partition order (per account), only events its group has not
 * applied before, inside one database transaction that also records them in the inbox: apply
 * the effects with `trx` and they happen exactly once. Throw to retry (database outages are
 * retried until they pass); throw `PermanentError` to dead-letter at once.
 */
export interface EventHandler<T extends Topic = Topic> {
  /** Consumer group and inbox namespace, e.g. "support-cases.security-events". */
  group: string;
  topic: T;
  /** Kafka only: events per database transaction (default 500) and partitions applied in parallel (default 1). */
  consumer?: { chunkSize?: number; partitionsConcurrently?: number };
  /**
   * `false` skips the eventId inbox for a handler that is idempotent on a key of its own (a
   * unique business id written in the same transaction): one write less per event on a hot
   * topic. It then also receives repeats within a batch. Default: the inbox dedupes.
   */
  inbox?: boolean;
  handle(trx: Transaction<Database>, events: DeliveredEvent<EventOf<T>>[]): Promise<void>;
}

/** What an effect handler gets besides its event. */
export interface EffectContext {
  /** Aborted on shutdown: stop waiting and throw (the event is redelivered to the next owner). */
  signal: AbortSignal;
  /** Call at least every few seconds while waiting (Kafka: a heartbeat, so the group keeps us). */
  keepAlive(): Promise<void>;
}

/**
 * A consumer whose work lies outside the database (sending an e-mail, calling a webhook): it
 * cannot share a transaction with the inbox, so no transaction is opened for it and no inbox row
 * is written. `effect` receives the topic's events one at a time, in partition order, and may
 * take as long as it needs (waiting on a mail server, with `keepAlive`); the event is
 * acknowledged when it returns. Delivery is at least once: the handler makes its effect once
 * with a key of its own (e.g. a deliveries row per eventId). Database outages are retried until
 * they pass; `PermanentError` dead-letters at once; other errors are retried like a handler's.
 */
export interface EffectHandler<T extends Topic = Topic> {
  group: string;
  topic: T;
  /** Kafka only: events acknowledged together (default 500) and partitions worked in parallel (default 1). */
  consumer?: { chunkSize?: number; partitionsConcurrently?: number };
  effect(delivered: DeliveredEvent<EventOf<T>>, context: EffectContext): Promise<void>;
}

/** Either kind of consumer; `bus.subscribe` takes both. */
export type Subscriber<T extends Topic = Topic> = EventHandler<T> | EffectHandler<T>;

/** An event the handler can never apply (retrying will not help): it goes to the dead letters. */
export class PermanentError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentError';
  }
}
