import { randomBytes } from 'node:crypto';
import { ALL_TOPICS, physicalTopic, type Topic } from '@wallet-guard/contracts';
import { ensureTopics } from '@wallet-guard/messaging';
import { type Admin, Kafka, type KafkaMessage, logLevel, Partitioners, type Producer } from 'kafkajs';

/** Where tests find the broker `infra/kafka/start.sh` runs. */
export const TEST_KAFKA_BROKERS = (process.env.TEST_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

export interface ReceivedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  json<T = unknown>(): T;
}

/**
 * A test file's own slice of the broker: every topic and group name carries a random prefix,
 * so files run in parallel without seeing each other's messages.
 */
export class TestKafka {
  readonly prefix = `t${randomBytes(4).toString('hex')}.`;
  readonly brokers = TEST_KAFKA_BROKERS;
  readonly kafka = new Kafka({ clientId: 'tests', brokers: TEST_KAFKA_BROKERS, logLevel: logLevel.NOTHING });
  private admin: Admin | undefined;
  private producer: Producer | undefined;
  private readonly collectors: { stop(): Promise<void> }[] = [];

  /** The broker name of a logical topic for this file. */
  topic(name: string): string {
    return physicalTopic(name, this.prefix);
  }

  async getAdmin(): Promise<Admin> {
    if (!this.admin) {
      this.admin = this.kafka.admin();
      await this.admin.connect();
    }
    return this.admin;
  }

  /** Creates this file's copy of the contract topics (and dead-letter topics). */
  async createTopics(topics: readonly Topic[] = ALL_TOPICS): Promise<void> {
    await ensureTopics(await this.getAdmin(), topics, this.prefix);
  }

  /** Sends raw records (anything, including garbage) to a logical topic. */
  async produce(topic: string, messages: { key?: string | null; value: string | Buffer | null }[]): Promise<void> {
    if (!this.producer) {
      this.producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await this.producer.connect();
    }
    await this.producer.send({ topic: this.topic(topic), messages });
  }

  /**
   * Starts reading a logical topic from the beginning (committed records only) and returns the
   * growing list of what arrived.
   */
  async collect(topic: string): Promise<ReceivedMessage[]> {
    const received: ReceivedMessage[] = [];
    const consumer = this.kafka.consumer({ groupId: `${this.prefix}collector.${randomBytes(3).toString('hex')}` });
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic(topic), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic: t, partition, message }) => {
        received.push(toReceived(t, partition, message));
      },
    });
    this.collectors.push({ stop: () => consumer.disconnect() });
    return received;
  }

  /** Deletes this file's topics and groups and disconnects. */
  async cleanup(): Promise<void> {
    await Promise.all(this.collectors.map((c) => c.stop().catch(() => undefined)));
    await this.producer?.disconnect().catch(() => undefined);
    const admin = await this.getAdmin();
    try {
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(this.prefix));
      if (topics.length > 0) await admin.deleteTopics({ topics });
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(this.prefix));
      if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
    } finally {
      await admin.disconnect();
    }
  }
}

function toReceived(topic: string, partition: number, message: KafkaMessage): ReceivedMessage {
  const value = message.value?.toString('utf8') ?? null;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(message.headers ?? {})) {
    if (v !== undefined) headers[k] = Array.isArray(v) ? String(v[0]) : String(v);
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? null,
    value,
    headers,
    json: <T>() => JSON.parse(value ?? 'null') as T,
  };
}
