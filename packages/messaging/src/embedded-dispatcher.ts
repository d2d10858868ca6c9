import type { AnyEnvelope, Topic } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { Logger } from '@wallet-guard/observability';
import type { Kysely } from 'kysely';
import { applyEvents, StoppedError } from './apply';
import { backoffDelay, sleep } from './backoff';
import { decodeEvent } from './decode';
import type { DeliveredEvent, Subscriber } from './handler';
import type { BusMetrics } from './metrics';

export interface EmbeddedDispatcherOptions {
  db: Kysely<Database>;
  batchSize: number;
  pollIntervalMs: number;
  logger: Logger;
  metrics: BusMetrics;
}

/**
 * The bus without a broker: delivers outbox rows, in id order, to the handlers running in this
 * process, then marks them sent. A crash between delivery and marking redelivers on restart and
 * each handler's inbox drops the repeat, so nothing is lost and nothing applies twice. Records
 * that break their contract go to the `dead_letters` table.
 */
export class EmbeddedDispatcher {
  private readonly handlers: Subscriber[] = [];
  private readonly stopController = new AbortController();
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private readonly log: Logger;

  constructor(private readonly options: EmbeddedDispatcherOptions) {
    this.log = options.logger.child({ component: 'embedded-bus' });
  }

  subscribe(handler: Subscriber): void {
    this.handlers.push(handler);
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Ask for a delivery round now instead of at the next poll (after a local write). */
  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const signal = this.stopController.signal;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const delivered = await this.deliverBatch();
        failures = 0;
        if (delivered < this.options.batchSize) await this.idle();
      } catch (error) {
        if (error instanceof StoppedError) return;
        this.log.warn({ err: error, attempt: failures }, 'embedded delivery failed; retrying');
        await sleep(backoffDelay(failures++, 200, 5_000), signal);
      }
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.pollIntervalMs);
      const signal = this.stopController.signal;
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wakeUp = undefined;
        signal.removeEventListener('abort', done);
        resolve();
      }
      this.wakeUp = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private async deliverBatch(): Promise<number> {
    const { db, batchSize, metrics } = this.options;
    const rows = await db
      .selectFrom('outbox')
      .select(['id', 'topic', 'message_key', 'payload', 'producer'])
      .where('published_at', 'is', null)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) return 0;

    for (const handler of this.handlers) {
      const mine = rows.filter((r) => r.topic === handler.topic);
      if (mine.length === 0) continue;
      const valid: DeliveredEvent<AnyEnvelope>[] = [];
      for (const row of mine) {
        const raw = JSON.stringify(row.payload);
        const decoded = decodeEvent<AnyEnvelope>(handler.topic as Topic, raw);
        if (decoded.ok) {
          valid.push({ event: decoded.event, topic: row.topic, partition: null, offset: row.id, key: row.message_key });
        } else {
          await this.deadLetter(handler.group, row.topic, row.message_key, raw, decoded.code, decoded.message);
        }
      }
      await applyEvents(
        {
          db,
          handler,
          logger: this.log,
          signal: this.stopController.signal,
          keepAlive: async () => undefined,
          maxAttempts: 3,
          deadLetter: (item, code, message) =>
            this.deadLetter(handler.group, item.topic, item.key, JSON.stringify(item.event), code, message),
          onApplied: (count) => metrics.applied.inc({ group: handler.group }, count),
        },
        valid,
      );
    }

    const lastId = (rows[rows.length - 1] as (typeof rows)[number]).id;
    await db
      .updateTable('outbox')
      .set({ published_at: new Date() })
      .where('published_at', 'is', null)
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    for (const row of rows) metrics.published.inc({ producer: row.producer });
    this.log.debug({ count: rows.length, lastId }, 'delivered');
    return rows.length;
  }

  private async deadLetter(
    group: string,
    topic: string,
    key: string | null,
    payload: string,
    code: string,
    message: string,
  ) {
    await this.options.db
      .insertInto('dead_letters')
      .values({ consumer_group: group, topic, message_key: key, payload, error_code: code, error_message: message })
      .execute();
    this.options.metrics.deadLettered.inc({ group, reason: code });
  }
}
