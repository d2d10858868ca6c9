import { ALL_TOPICS, physicalTopic, type Topic } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { Logger, Registry } from '@wallet-guard/observability';
import { type Admin, type Kafka, type Message, Partitioners, type Producer } from 'kafkajs';
import type { Kysely } from 'kysely';
import { EmbeddedDispatcher } from './embedded-dispatcher';
import type { Subscriber } from './handler';
import { pruneMessaging } from './housekeeping';
import { createKafka, ensureTopics, type KafkaSettings } from './kafka';
import { KafkaEventConsumer } from './kafka-consumer';
import { OutboxRelay } from './kafka-relay';
import { type BusMetrics, createBusMetrics } from './metrics';

export interface EventBusOptions {
  db: Kysely<Database>;
  /** Unset: embedded mode, no broker. */
  kafka: KafkaSettings | undefined;
  logger: Logger;
  metrics: Registry;
  outbox: { pollIntervalMs: number; batchSize: number; leaseSeconds?: number };
  /** Kafka only: create missing topics and their dead-letter topics at start. */
  createTopics?: boolean;
  topicPartitions?: number;
}

/**
 * How events leave and arrive. Producers never call the bus: they write to the outbox in their
 * own transaction (`enqueueEvents`). The bus sends outbox rows (`relay(producer)`) and runs the
 * subscribed handlers: through Kafka when brokers are configured, in-process otherwise.
 */
export interface EventBus {
  readonly mode: 'kafka' | 'embedded';
  /** Run `handler` for its topic once the bus starts. Call before `start`. */
  subscribe<T extends Topic>(handler: Subscriber<T>): void;
  /** Send this producer's outbox rows (Kafka mode; the embedded bus delivers every row it finds). */
  relay(producer: string): void;
  /** After a local outbox write: deliver soon rather than at the next poll (embedded only). */
  nudge(): void;
  /** Produce records straight to a topic, bypassing the outbox (for input that already has its own durability). */
  produce(topic: Topic, messages: Message[]): Promise<void>;
  start(): Promise<void>;
  /** Stops consumers (committing what they applied) and relays (finishing the batch in hand). */
  stop(): Promise<void>;
  /** Readiness: the broker answers (always true without one). */
  ping(): Promise<void>;
}

/**
 * Prunes old outbox and inbox rows every hour while the bus runs (several processes doing it
 * at once is harmless). Returns the function that stops it.
 */
function schedulePruning(options: EventBusOptions): () => void {
  const timer = setInterval(() => {
    pruneMessaging(options.db).then(
      (removed) => options.logger.debug(removed, 'messaging tables pruned'),
      (error: unknown) => options.logger.warn({ err: error }, 'pruning messaging tables failed'),
    );
  }, 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}

export function createEventBus(options: EventBusOptions): EventBus {
  const metrics = createBusMetrics(options.metrics);
  return options.kafka ? new KafkaBus(options, options.kafka, metrics) : new EmbeddedBus(options, metrics);
}

class EmbeddedBus implements EventBus {
  readonly mode = 'embedded' as const;
  private readonly dispatcher: EmbeddedDispatcher;
  private stopPruning: (() => void) | undefined;

  constructor(
    private readonly options: EventBusOptions,
    metrics: BusMetrics,
  ) {
    this.dispatcher = new EmbeddedDispatcher({
      db: options.db,
      logger: options.logger,
      metrics,
      pollIntervalMs: options.outbox.pollIntervalMs,
      batchSize: options.outbox.batchSize,
    });
  }

  subscribe<T extends Topic>(handler: Subscriber<T>): void {
    this.dispatcher.subscribe(handler as unknown as Subscriber);
  }
  relay(): void {}
  nudge(): void {
    this.dispatcher.wake();
  }
  async produce(): Promise<void> {
    throw new Error('produce() needs a broker; without one, write to the outbox');
  }
  async start(): Promise<void> {
    this.dispatcher.start();
    this.stopPruning = schedulePruning(this.options);
  }
  async stop(): Promise<void> {
    this.stopPruning?.();
    await this.dispatcher.stop();
  }
  async ping(): Promise<void> {}
}

class KafkaBus implements EventBus {
  readonly mode = 'kafka' as const;
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private readonly producer: Producer;
  private readonly handlers: Subscriber[] = [];
  private readonly producers = new Set<string>();
  private consumers: KafkaEventConsumer[] = [];
  private relays: OutboxRelay[] = [];
  private connected: Promise<void> | undefined;
  private stopPruning: (() => void) | undefined;

  constructor(
    private readonly options: EventBusOptions,
    private readonly settings: KafkaSettings,
    private readonly metrics: BusMetrics,
  ) {
    this.kafka = createKafka(settings, options.logger);
    this.admin = this.kafka.admin();
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  subscribe<T extends Topic>(handler: Subscriber<T>): void {
    this.handlers.push(handler as unknown as Subscriber);
  }
  relay(producer: string): void {
    this.producers.add(producer);
  }
  nudge(): void {}

  private connect(): Promise<void> {
    this.connected ??= (async () => {
      await this.admin.connect();
      await this.producer.connect();
    })().catch((error) => {
      this.connected = undefined;
      throw error;
    });
    return this.connected;
  }

  async produce(topic: Topic, messages: Message[]): Promise<void> {
    await this.connect();
    await this.producer.send({ topic: physicalTopic(topic, this.settings.topicPrefix), acks: -1, messages });
  }

  async start(): Promise<void> {
    await this.connect();
    if (this.options.createTopics ?? true) {
      await ensureTopics(this.admin, ALL_TOPICS, this.settings.topicPrefix, {
        partitions: this.options.topicPartitions ?? 3,
        replicationFactor: 1,
      });
    }
    this.relays = [...this.producers].map(
      (producer) =>
        new OutboxRelay({
          kafka: this.kafka,
          admin: this.admin,
          db: this.options.db,
          producer,
          topicPrefix: this.settings.topicPrefix,
          logger: this.options.logger,
          metrics: this.metrics,
          ...this.options.outbox,
        }),
    );
    for (const relay of this.relays) relay.start();
    this.consumers = this.handlers.map(
      (handler) =>
        new KafkaEventConsumer({
          kafka: this.kafka,
          db: this.options.db,
          handler,
          topicPrefix: this.settings.topicPrefix,
          logger: this.options.logger,
          deadLetterProducer: this.producer,
          metrics: this.metrics,
          chunkSize: handler.consumer?.chunkSize,
          partitionsConcurrently: handler.consumer?.partitionsConcurrently,
        }),
    );
    await Promise.all(this.consumers.map((c) => c.start()));
    this.stopPruning = schedulePruning(this.options);
  }

  async stop(): Promise<void> {
    this.stopPruning?.();
    await Promise.all(this.consumers.map((c) => c.stop()));
    await Promise.all(this.relays.map((r) => r.stop()));
    await this.producer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }

  async ping(): Promise<void> {
    await this.connect();
    await this.admin.describeCluster();
  }
}
