import type { AnyEnvelope } from '@wallet-guard/contracts';
import { type Database, isTransientDbError } from '@wallet-guard/db';
import type { Logger } from '@wallet-guard/observability';
import type { Kysely } from 'kysely';
import { backoffDelay, sleep } from './backoff';
import { type DeliveredEvent, type EffectHandler, type EventHandler, PermanentError, type Subscriber } from './handler';
import { claimNewEvents } from './inbox';

/** Thrown when a stop was requested while an apply was still retrying: nothing was acknowledged. */
export class StoppedError extends Error {
  constructor() {
    super('stopped before the events were applied');
    this.name = 'StoppedError';
  }
}

class KeepAliveFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('keep-alive failed');
  }
}

export interface ApplyContext {
  db: Kysely<Database>;
  handler: Subscriber;
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
  const { handler } = ctx;
  if ('effect' in handler) {
    for (const event of events) await applyEffect(ctx, handler, event);
    ctx.onApplied?.(events.length);
    return;
  }
  await applyInTransaction({ ...ctx, handler }, events);
}

async function applyInTransaction(
  ctx: ApplyContext & { handler: EventHandler },
  events: DeliveredEvent<AnyEnvelope>[],
): Promise<void> {
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
        for (const single of events) await applyInTransaction(ctx, [single]);
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

/**
 * One event through an effect handler, outside any transaction: database outages are retried
 * until they pass, other failures `maxAttempts` times, then (or at once for `PermanentError`) the
 * event is dead-lettered.
 */
async function applyEffect(ctx: ApplyContext, handler: EffectHandler, event: DeliveredEvent<AnyEnvelope>) {
  // A failed heartbeat is not the effect failing: it is marked so that it is not retried or
  // dead-lettered, but handed back to the consumer (which leaves the event unacknowledged).
  const keepAlive = () =>
    ctx.keepAlive().catch((error: unknown) => {
      throw new KeepAliveFailed(error);
    });
  let failures = 0;
  let outageAttempt = 0;
  for (;;) {
    if (ctx.signal.aborted) throw new StoppedError();
    try {
      // biome-ignore lint/suspicious/noExplicitAny: the handler's topic fixes the event type
      await handler.effect(event as DeliveredEvent<any>, { signal: ctx.signal, keepAlive });
      return;
    } catch (error) {
      if (ctx.signal.aborted) throw new StoppedError();
      // The group moved on (a rebalance): the event is not ours to finish; its next owner will.
      if (error instanceof KeepAliveFailed) throw error.cause;
      if (isTransientDbError(error)) {
        ctx.logger.warn({ err: error, group: handler.group, attempt: outageAttempt }, 'database unavailable; retrying');
        await waitAndKeepAlive(ctx, backoffDelay(outageAttempt++, 200, 5_000));
        continue;
      }
      failures += 1;
      if (!(error instanceof PermanentError) && failures < ctx.maxAttempts) {
        ctx.logger.warn({ err: error, group: handler.group, attempt: failures }, 'effect failed; retrying');
        await waitAndKeepAlive(ctx, backoffDelay(failures - 1, 100, 2_000));
        continue;
      }
      const code = error instanceof PermanentError ? error.code : 'handler_error';
      const message = error instanceof Error ? error.message : String(error);
      ctx.logger.error(
        { err: error, group: handler.group, eventId: event.event.eventId, topic: event.topic, offset: event.offset },
        'event dead-lettered',
      );
      await ctx.deadLetter(event, code, message.slice(0, 500));
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
