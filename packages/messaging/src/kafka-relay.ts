import { randomUUID } from 'node:crypto';
import { physicalTopic } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { Logger } from '@wallet-guard/observability';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { type Kysely, sql } from 'kysely';
import { backoffDelay, sleep } from './backoff';
import type { BusMetrics } from './metrics';

/** Topic whose committed consumer offsets record each producer's last sent relay batch. */
const RELAY_CHECKPOINT_TOPIC = 'outbox-relay.checkpoints';

/** How long a stopping relay keeps sending what is already committed before it gives up (the rest waits for a restart). */
const FINAL_SEND_MS = 3_000;

export interface OutboxRelayOptions {
  kafka: Kafka;
  admin: Admin;
  db: Kysely<Database>;
  /** The service whose outbox rows this relay sends. */
  producer: string;
  topicPrefix: string;
  batchSize: number;
  pollIntervalMs: number;
  /** How long a relay's claim on its producer lasts without renewal (a crashed holder blocks others this long). */
  leaseSeconds?: number;
  logger: Logger;
  metrics: BusMetrics;
}

/**
 * Sends one producer's outbox rows to Kafka exactly once, in id order (so in order per account).
 *
 * How "exactly once" holds when the process dies at any point:
 * 1. A batch of unsent rows is claimed in Postgres under a new batch number.
 * 2. The rows go to Kafka in one Kafka transaction, which also commits the batch number as the
 *    offset of a checkpoint consumer group: both become visible together, or neither does.
 * 3. The rows are marked sent in Postgres.
 * On start, and after any failure, the relay asks Kafka for the last committed batch: claimed
 * rows up to it were sent (mark them), later ones were not (release them). The transactional id
 * fences a zombie instance, and a lease in Postgres keeps one active relay per producer.
 */
export class OutboxRelay {
  private readonly holder = randomUUID();
  private readonly stopController = new AbortController();
  private producer: Producer | undefined;
  /** Connected, reconciled with Kafka and holding the lease: batches may be sent. */
  private ready = false;
  private loop: Promise<void> | undefined;
  private readonly log: Logger;

  constructor(private readonly options: OutboxRelayOptions) {
    this.log = options.logger.child({ component: 'outbox-relay', producer: options.producer });
  }

  private get checkpointGroup(): string {
    return physicalTopic(`outbox-relay.${this.options.producer}`, this.options.topicPrefix);
  }

  private get checkpointTopic(): string {
    return physicalTopic(RELAY_CHECKPOINT_TOPIC, this.options.topicPrefix);
  }

  start(): void {
    this.loop ??= this.run();
  }

  /**
   * Stops polling, then sends what is already committed (for up to 3 s), so a process shutting
   * down for good leaves no event waiting for its next start. The bus stops consumers and the
   * HTTP server has closed before this, so nothing new is written in the meantime.
   */
  async stop(): Promise<void> {
    this.stopController.abort();
    await this.loop;
    if (this.loop) await this.sendRemaining();
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = undefined;
    await this.options.db
      .deleteFrom('relay_leases')
      .where('producer', '=', this.options.producer)
      .where('holder', '=', this.holder)
      .execute()
      .catch(() => undefined);
  }

  private async run(): Promise<void> {
    const signal = this.stopController.signal;
    let failures = 0;
    let recovered = false;
    while (!signal.aborted) {
      try {
        if (!(await this.holdLease())) {
          recovered = false;
          this.ready = false;
          await sleep((this.options.leaseSeconds ?? 15) * 300, signal);
          continue;
        }
        if (!recovered) {
          await this.connect();
          await this.recover();
          recovered = true;
        }
        this.ready = true;
        const sent = await this.sendBatch();
        failures = 0;
        if (sent < this.options.batchSize) await sleep(this.options.pollIntervalMs, signal);
      } catch (error) {
        recovered = false;
        this.ready = false;
        this.log.warn({ err: error, attempt: failures }, 'outbox relay failed; will recover and retry');
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = undefined;
        await sleep(backoffDelay(failures++, 200, 10_000), signal);
      }
    }
  }

  /**
   * Never throws and never takes much longer than FINAL_SEND_MS (a broker that stopped answering
   * must not hold the shutdown): what is not sent stays in the outbox, and the next start (or
   * another instance) reconciles it with Kafka as after a crash.
   */
  private async sendRemaining(): Promise<void> {
    if (!this.ready) return;
    const deadline = Date.now() + FINAL_SEND_MS;
    let sent = 0;
    const sending = (async () => {
      while (Date.now() < deadline && (await this.holdLease())) {
        const count = await this.sendBatch();
        sent += count;
        if (count === 0) return true;
      }
      return false;
    })().catch((error: unknown) => {
      this.log.warn({ err: error, sent }, 'outbox relay could not send the remaining events; they go after a restart');
      return false;
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), FINAL_SEND_MS + 1_000);
    });
    const done = await Promise.race([sending, late]);
    clearTimeout(timer);
    if (done === true && sent > 0) this.log.info({ sent }, 'outbox relay sent the remaining events before stopping');
    if (done !== true) this.log.warn({ sent }, 'outbox relay stopped with events left; they go after a restart');
  }

  /** Takes or renews the lease; false while another live process holds it. */
  private async holdLease(): Promise<boolean> {
    const result = await sql<{ holder: string }>`
      insert into relay_leases (producer, holder, expires_at)
      values (${this.options.producer}, ${this.holder}, now() + make_interval(secs => ${this.options.leaseSeconds ?? 15}))
      on conflict (producer) do update
        set holder = excluded.holder, expires_at = excluded.expires_at
        where relay_leases.holder = excluded.holder or relay_leases.expires_at < now()
      returning holder`.execute(this.options.db);
    return result.rows.length === 1;
  }

  private async connect(): Promise<void> {
    if (this.producer) return;
    const producer = this.options.kafka.producer({
      transactionalId: physicalTopic(`outbox-relay.${this.options.producer}`, this.options.topicPrefix),
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: 30_000,
      retry: { initialRetryTime: 50, retries: 10 },
    });
    // connect() initialises the transactional id: a previous incarnation's open transaction is
    // aborted (or completed) before this returns, so the checkpoint read next is final.
    await producer.connect();
    this.producer = producer;
    const topics = await this.options.admin.listTopics();
    if (!topics.includes(this.checkpointTopic)) {
      await this.options.admin
        .createTopics({ waitForLeaders: true, topics: [{ topic: this.checkpointTopic, numPartitions: 1 }] })
        .catch((error: Error) => {
          if (!/already exists/i.test(error.message)) throw error;
        });
    }
  }

  private async lastCommittedBatch(): Promise<bigint> {
    const [entry] = await this.options.admin.fetchOffsets({
      groupId: this.checkpointGroup,
      topics: [this.checkpointTopic],
    });
    const offset = entry?.partitions.find((p) => p.partition === 0)?.offset ?? '-1';
    return BigInt(offset);
  }

  /** Reconciles Postgres with what Kafka actually committed. */
  private async recover(): Promise<void> {
    const last = await this.lastCommittedBatch();
    const { db, producer } = this.options;
    const marked = await db
      .updateTable('outbox')
      .set({ published_at: new Date() })
      .where('producer', '=', producer)
      .where('published_at', 'is', null)
      .where('relay_batch', 'is not', null)
      .where('relay_batch', '<=', last.toString())
      .executeTakeFirst();
    const released = await db
      .updateTable('outbox')
      .set({ relay_batch: null })
      .where('producer', '=', producer)
      .where('published_at', 'is', null)
      .where('relay_batch', '>', last.toString())
      .executeTakeFirst();
    const m = Number(marked.numUpdatedRows ?? 0n);
    const r = Number(released.numUpdatedRows ?? 0n);
    if (m > 0 || r > 0) this.log.info({ lastBatch: last.toString(), marked: m, released: r }, 'outbox relay recovered');
  }

  private async sendBatch(): Promise<number> {
    const { db, producer: producerName, batchSize, topicPrefix, metrics } = this.options;
    const producer = this.producer as Producer;
    const batch = await sql<{ batch: string }>`select nextval('outbox_relay_batch_seq')::text as batch`.execute(db);
    const batchNo = (batch.rows[0] as { batch: string }).batch;
    const rows = await db
      .updateTable('outbox')
      .set({ relay_batch: batchNo })
      .where(
        'id',
        'in',
        db
          .selectFrom('outbox')
          .select('id')
          .where('producer', '=', producerName)
          .where('published_at', 'is', null)
          .where('relay_batch', 'is', null)
          .orderBy('id')
          .limit(batchSize),
      )
      .returning(['id', 'topic', 'message_key', 'payload', 'headers'])
      .execute();
    if (rows.length === 0) return 0;
    rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));

    const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
    for (const row of rows) {
      const topic = physicalTopic(row.topic, topicPrefix);
      const list = byTopic.get(topic) ?? [];
      list.push({ key: row.message_key, value: JSON.stringify(row.payload), headers: row.headers });
      byTopic.set(topic, list);
    }

    const transaction = await producer.transaction();
    try {
      await transaction.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
      await transaction.sendOffsets({
        consumerGroupId: this.checkpointGroup,
        topics: [{ topic: this.checkpointTopic, partitions: [{ partition: 0, offset: batchNo }] }],
      });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      throw error;
    }
    await db.updateTable('outbox').set({ published_at: new Date() }).where('relay_batch', '=', batchNo).execute();
    metrics.published.inc({ producer: producerName }, rows.length);
    return rows.length;
  }
}
