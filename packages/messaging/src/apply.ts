import type { AnyEnvelope } from '@wallet-guard/contracts';
import { type Database, isTransientDbError } from '@wallet-guard/db';
import type { Logger } from '@wallet-guard/observability';
import type { Kysely } from 'kysely';
import { backoffDelay, sleep } from './backoff';
import { type DeliveredEvent, type EventHandler, PermanentError } from './handler';
import { claimNewEvents } from './inbox';

/** Thrown when a stop was requested while an apply was still retrying: nothing was acknowledged. */
export class StoppedError extends Error {
  constructor() {
    super('stopped before the events were applied');
    this.name = 'StoppedError';
  }
}

export interface ApplyContext {
  db: Kysely<Database>;
  handler: EventHandler;
  logger: Logger;
  /** Aborts retry loops on shutdown. */
  signal: AbortSignal;
  /** Called while waiting between retries (Kafka: heartbeat, so the group keeps us). */
  keepAlive: () => Promise<void>;
  deadLetter: (item: DeliveredEvent<AnyEnvelope>, code: string, message: string) => Promise<void>;
  /** Attempts for an error that is not a database outage before the event is isolated and dead-lettered. */
  maxAttempts: number;
  onApplied?: (count: number) => void;
}

/**
 * Applies events through the handler, exactly once in effect: one transaction holds the inbox
 * rows and the handler's writes. Database outages are retried until they pass (or a stop is
 * requested); other failures are retried `maxAttempts` times, then the batch is split so that
 * only the events that keep failing are dead-lettered and the rest are applied.
 */
export async function applyEvents(ctx: ApplyContext, events: DeliveredEvent<AnyEnvelope>[]): Promise<void> {
  if (events.length === 0) return;
  let failures = 0;
  let outageAttempt = 0;
  for (;;) {
    if (ctx.signal.aborted) throw new StoppedError();
    try {
      await ctx.db.transaction().execute(async (trx) => {
        const fresh = ctx.handler.inbox === false ? events : await claimNewEvents(trx, ctx.handler.group, events);
        // biome-ignore lint/suspicious/noExplicitAny: the handler's topic fixes the event type
        if (fresh.length > 0) await ctx.handler.handle(trx, fresh as DeliveredEvent<any>[]);
      });
      ctx.onApplied?.(events.length);
      return;
    } catch (error) {
      if (isTransientDbError(error)) {
        ctx.logger.warn(
          { err: error, group: ctx.handler.group, attempt: outageAttempt },
          'database unavailable; retrying',
        );
        await waitAndKeepAlive(ctx, backoffDelay(outageAttempt++, 200, 5_000));
        continue;
      }
      failures += 1;
      if (!(error instanceof PermanentError) && failures < ctx.maxAttempts) {
        ctx.logger.warn({ err: error, group: ctx.handler.group, attempt: failures }, 'handler failed; retrying');
        await waitAndKeepAlive(ctx, backoffDelay(failures - 1, 100, 2_000));
        continue;
      }
      if (events.length > 1) {
        // Find the poison: apply one by one; the good ones commit, the bad ones are dead-lettered.
        for (const single of events) await applyEvents(ctx, [single]);
        return;
      }
      const [only] = events as [DeliveredEvent<AnyEnvelope>];
      const code = error instanceof PermanentError ? error.code : 'handler_error';
      const message = error instanceof Error ? error.message : String(error);
      ctx.logger.error(
        { err: error, group: ctx.handler.group, eventId: only.event.eventId, topic: only.topic, offset: only.offset },
        'event dead-lettered',
      );
      await ctx.deadLetter(only, code, message.slice(0, 500));
      return;
    }
  }
}

async function waitAndKeepAlive(ctx: ApplyContext, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !ctx.signal.aborted) {
    await sleep(Math.min(1_000, until - Date.now()), ctx.signal);
    await ctx.keepAlive();
  }
}
