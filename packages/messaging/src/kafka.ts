import { deadLetterTopic, physicalTopic } from '@wallet-guard/contracts';
import type { Logger } from '@wallet-guard/observability';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { backoffDelay, sleep } from './backoff';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** Prepended to every topic and consumer group name. */
  topicPrefix: string;
}

/**
 * A kafkajs client logging through pino. kafkajs reports retriable protocol errors at ERROR
 * even when its retry succeeds, so its ERROR maps to warn; our own code logs real failures.
 */
export function createKafka(settings: KafkaSettings, logger: Logger): Kafka {
  const log = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 100, retries: 8, maxRetryTime: 5_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }) => {
        const { message, ...rest } = entry;
        if (level <= logLevel.WARN) log.warn(rest, message);
        else log.debug(rest, message);
      },
  });
}

export interface TopicLayout {
  partitions: number;
  replicationFactor: number;
}

/**
 * Creates the topics (and their dead-letter topics) if missing. Idempotent; concurrent calls
 * from several services are fine (an existing topic is not an error). A broker still settling
 * a new topic's leadership (UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE) is retried.
 */
export async function ensureTopics(
  admin: Admin,
  topics: readonly string[],
  prefix: string,
  layout: TopicLayout = { partitions: 3, replicationFactor: 1 },
): Promise<void> {
  const wanted = topics.flatMap((t) => [physicalTopic(t, prefix), physicalTopic(deadLetterTopic(t), prefix)]);
  for (let attempt = 1; ; attempt++) {
    try {
      const existing = new Set(await admin.listTopics());
      const missing = wanted.filter((t) => !existing.has(t));
      if (missing.length === 0) return;
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: layout.partitions,
          replicationFactor: layout.replicationFactor,
        })),
      });
      return;
    } catch (error) {
      if (attempt >= 6) throw error;
      await sleep(backoffDelay(attempt, 250, 3_000));
    }
  }
}
