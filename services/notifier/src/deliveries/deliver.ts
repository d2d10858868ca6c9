import type { Database } from '@wallet-guard/db';
import { backoffDelay, type EffectContext, sleep } from '@wallet-guard/messaging';
import type { Logger } from '@wallet-guard/observability';
import type { Kysely } from 'kysely';
import type { Channel, RenderedMessage } from '../channels/channel';
import type { Clock } from '../clock';
import type { NotifierMetrics } from '../metrics';
import { claimDelivery, markFailed, markRetrying, markSending, markSent } from './deliveries-store';

/** How many times a delivery is tried, and how long it waits between tries. */
export interface RetryPolicy {
  maxAttempts: number;
  /** The first wait (ms); each next one doubles, up to `maxDelayMs`; each wait is between half and all of its step (jitter). */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface DeliveryDeps {
  db: Kysely<Database>;
  clock: Clock;
  retry: RetryPolicy;
  metrics: NotifierMetrics;
  logger: Logger;
}

/** One message for one person, to send on one channel. */
export interface DeliveryRequest {
  eventId: string;
  /** When the event happened: the latency metric counts from here. */
  occurredAt: string;
  accountId: string;
  caseId: string | null;
  /** The person's e-mail address. */
  to: string;
  message: RenderedMessage;
  /**
   * Past this instant the message is not sent (recorded as failed): its link has expired, or the
   * event is older than the notifier's `maxEventAgeSeconds` (a first start reading days of retained
   * events must not mail customers week-old links).
   */
  notAfter: Date;
}

export type DeliveryResult = 'sent' | 'failed' | 'duplicate';

/**
 * Sends `request` on `channel` exactly once per event and channel, as far as a mail server allows:
 * the (eventId, channel) row says whether it already went out or failed, and then nothing is sent
 * again. Transient failures wait (exponential backoff with jitter, keeping the consumer alive)
 * and retry up to `maxAttempts`; permanent ones are recorded as failed with the reason. A stop
 * requested while waiting throws, leaving the row `retrying`: the event comes back to whichever
 * process owns it next, and the attempts go on from the count recorded.
 *
 * The one repeat a crash can cause: the process dies after the server accepted a message and
 * before `sent` was recorded. The next owner sends it again with the same Message-ID (or
 * `webhook-id`), which mail clients and Standard Webhooks receivers use to drop the repeat.
 */
export async function deliver(
  deps: DeliveryDeps,
  channel: Channel,
  request: DeliveryRequest,
  context: EffectContext,
): Promise<DeliveryResult> {
  const { db, clock, retry, metrics, logger } = deps;
  const { kind, locale } = request.message;
  const count = (result: string) => metrics.deliveries.inc({ kind, channel: channel.name, result });
  const row = await claimDelivery(
    db,
    {
      eventId: request.eventId,
      channel: channel.name,
      accountId: request.accountId,
      caseId: request.caseId,
      kind,
      locale,
      recipient: request.to,
    },
    clock(),
  );
  if (row.status === 'sent' || row.status === 'failed') {
    count('duplicate');
    return 'duplicate';
  }
  const log = logger.child({ deliveryId: row.id, eventId: request.eventId, kind, channel: channel.name });
  for (let attempt = row.attempts + 1; ; attempt++) {
    if (clock().getTime() > request.notAfter.getTime()) {
      await markFailed(db, row.id, 'expired before it could be sent (the link or the event is too old)');
      count('failed');
      log.warn({ attempt }, 'message expired before delivery');
      return 'failed';
    }
    await markSending(db, row.id, attempt, clock());
    const outcome = await channel.send({
      deliveryId: row.id,
      eventId: request.eventId,
      accountId: request.accountId,
      to: request.to,
      message: request.message,
    });
    if (outcome.kind === 'accepted') {
      await markSent(db, row.id, outcome.response, clock());
      count('sent');
      metrics.latency.observe(
        { channel: channel.name },
        Math.max(0, (clock().getTime() - Date.parse(request.occurredAt)) / 1000),
      );
      log.info({ attempt, target: channel.target }, 'message delivered');
      return 'sent';
    }
    if (outcome.kind === 'permanent' || attempt >= retry.maxAttempts) {
      const reason =
        outcome.kind === 'permanent' ? outcome.reason : `gave up after ${attempt} attempts: ${outcome.reason}`;
      await markFailed(db, row.id, reason);
      count('failed');
      log.warn({ attempt, reason, target: channel.target }, 'message not delivered');
      return 'failed';
    }
    const delay = backoffDelay(attempt - 1, retry.baseDelayMs, retry.maxDelayMs);
    await markRetrying(db, row.id, outcome.reason, new Date(clock().getTime() + delay));
    count('retry');
    log.warn(
      { attempt, reason: outcome.reason, retryInMs: delay, target: channel.target },
      'delivery failed; retrying',
    );
    await waitKeepingAlive(delay, context);
    if (context.signal.aborted) throw new Error('stopping: the delivery resumes where the event is consumed next');
  }
}

/** Waits `ms`, calling `keepAlive` every second, and returns early when the signal aborts. */
export async function waitKeepingAlive(ms: number, { signal, keepAlive }: EffectContext): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !signal.aborted) {
    await sleep(Math.min(1_000, until - Date.now()), signal);
    await keepAlive();
  }
}
