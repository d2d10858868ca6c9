import { type AnyEnvelope, deadLetterTopic, physicalTopic } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { Logger } from '@wallet-guard/observability';
import type { Consumer, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Kysely } from 'kysely';
import { applyEvents, StoppedError } from './apply';
import { decodeEvent } from './decode';
import type { DeliveredEvent, Subscriber } from './handler';
import type { BusMetrics } from './metrics';

export interface KafkaConsumerOptions {
  kafka: Kafka;
  db: Kysely<Database>;
  handler: Subscriber;
  topicPrefix: string;
  logger: Logger;
  /** Idempotent producer used for dead letters. */
  deadLetterProducer: Producer;
  metrics: BusMetrics;
  /** Most events applied in one database transaction. */
  chunkSize?: number;
  /** Partitions processed in parallel (order within each partition is always kept). */
  partitionsConcurrently?: number;
  maxAttempts?: number;
}

/** Headers on a dead-lettered record: enough to find the original and replay it. */
function deadLetterHeaders(input: {
  code: string;
  message: string;
  topic: string;
  partition: number;
  offset: string;
  group: string;
}): IHeaders {
  return {
    'dlq-error-code': input.code,
    'dlq-error-message': input.message,
    'dlq-source-topic': input.topic,
    'dlq-source-partition': String(input.partition),
    'dlq-source-offset': input.offset,
    'dlq-consumer-group': input.group,
    'dlq-failed-at': new Date().toISOString(),
  };
}

/**
 * Runs one handler as a Kafka consumer group member. Per partition, records are decoded in
 * order; undecodable ones go to `<topic>.dlq` with the reason; valid ones are applied in chunks
 * (one database transaction each) and only then marked consumed. Offsets are committed after
 * each chunk and on shutdown, never ahead of the database. Heartbeats continue during long
 * batches and retries.
 */
export class KafkaEventConsumer {
  private consumer: Consumer | undefined;
  private readonly stopController = new AbortController();
  private readonly log: Logger;

  constructor(private readonly options: KafkaConsumerOptions) {
    this.log = options.logger.child({ component: 'consumer', group: options.handler.group });
  }

  get groupId(): string {
    return physicalTopic(this.options.handler.group, this.options.topicPrefix);
  }

  async start(): Promise<void> {
    const { kafka, handler, topicPrefix } = this.options;
    const sourceTopic = physicalTopic(handler.topic, topicPrefix);
    const consumer = kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      readUncommitted: false,
      retry: { retries: 10 },
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: sourceTopic, fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 1,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
        const chunkSize = this.options.chunkSize ?? 500;
        for (let i = 0; i < batch.messages.length; i += chunkSize) {
          if (!isRunning() || isStale()) return;
          const chunk = batch.messages.slice(i, i + chunkSize);
          try {
            await this.processChunk(batch.topic, batch.partition, chunk, heartbeat);
          } catch (error) {
            if (error instanceof StoppedError) return;
            throw error;
          }
          resolveOffset((chunk[chunk.length - 1] as KafkaMessage).offset);
          await commitOffsetsIfNecessary();
          await heartbeat();
        }
      },
    });
  }

  private async processChunk(
    topic: string,
    partition: number,
    messages: KafkaMessage[],
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const { handler, metrics } = this.options;
    const valid: DeliveredEvent<AnyEnvelope>[] = [];
    for (const message of messages) {
      const decoded = decodeEvent<AnyEnvelope>(handler.topic, message.value);
      if (decoded.ok) {
        valid.push({
          event: decoded.event,
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
        });
      } else {
        this.log.warn(
          { topic, partition, offset: message.offset, reason: decoded.code, detail: decoded.message },
          'undecodable record dead-lettered',
        );
        await this.sendDeadLetter(topic, partition, message, decoded.code, decoded.message);
      }
    }
    const started = process.hrtime.bigint();
    await applyEvents(
      {
        db: this.options.db,
        handler,
        logger: this.log,
        signal: this.stopController.signal,
        keepAlive: heartbeat,
        maxAttempts: this.options.maxAttempts ?? 3,
        deadLetter: async (item, code, message) => {
          const original = messages.find((m) => m.offset === item.offset) as KafkaMessage;
          await this.sendDeadLetter(topic, partition, original, code, message);
        },
        onApplied: (count) => metrics.applied.inc({ group: handler.group }, count),
      },
      valid,
    );
    metrics.batchSeconds.observe({ group: handler.group }, Number(process.hrtime.bigint() - started) / 1e9);
  }

  private async sendDeadLetter(topic: string, partition: number, message: KafkaMessage, code: string, reason: string) {
    const { handler, topicPrefix, deadLetterProducer, metrics } = this.options;
    await deadLetterProducer.send({
      topic: physicalTopic(deadLetterTopic(handler.topic), topicPrefix),
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: deadLetterHeaders({
            code,
            message: reason,
            topic,
            partition,
            offset: message.offset,
            group: handler.group,
          }),
        },
      ],
    });
    metrics.deadLettered.inc({ group: handler.group, reason: code });
  }

  /** Stops fetching, lets the batch in hand finish (or abandons a retry loop) and commits. */
  async stop(): Promise<void> {
    this.stopController.abort();
    await this.consumer?.disconnect();
  }
}
