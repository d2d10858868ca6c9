// How `applyEvents` treats an effect handler's failures, without a broker: what is retried, what
// is dead-lettered, and what is handed back to the consumer untouched (a lost group membership).
import { randomUUID } from 'node:crypto';
import { createEvent, TOPICS } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { createLogger } from '@wallet-guard/observability';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type ApplyContext, applyEvents } from './apply';
import { type DeliveredEvent, type EffectHandler, PermanentError } from './handler';

const event = (): DeliveredEvent<never> =>
  ({
    event: createEvent(TOPICS.securityEvents, {
      type: 'password.changed',
      version: 1,
      producer: 'auth',
      accountId: randomUUID(),
      payload: {},
    }),
    topic: TOPICS.securityEvents,
    partition: 0,
    offset: '0',
    key: null,
  }) as never;

function context(handler: EffectHandler, keepAlive: () => Promise<void> = async () => undefined) {
  const deadLetters: string[] = [];
  const ctx: ApplyContext = {
    // Effects never touch the bus's database handle: a value that would fail if they did.
    db: undefined as unknown as Kysely<Database>,
    handler,
    logger: createLogger({ service: 'test', level: 'silent' }),
    signal: new AbortController().signal,
    keepAlive,
    maxAttempts: 3,
    deadLetter: async (_item, code) => {
      deadLetters.push(code);
    },
  };
  return { ctx, deadLetters };
}

const handlerOf = (effect: EffectHandler['effect']): EffectHandler => ({
  group: 'test.effects',
  topic: TOPICS.securityEvents,
  effect,
});

describe('applyEvents with an effect handler', () => {
  it('retries a failing effect, then dead-letters it; PermanentError at once', async () => {
    let calls = 0;
    const flaky = context(
      handlerOf(async () => {
        calls += 1;
        throw new Error('mail server said no');
      }),
    );
    await applyEvents(flaky.ctx, [event()]);
    expect(calls).toBe(3);
    expect(flaky.deadLetters).toEqual(['handler_error']);

    let permanentCalls = 0;
    const permanent = context(
      handlerOf(async () => {
        permanentCalls += 1;
        throw new PermanentError('unrenderable', 'no template');
      }),
    );
    await applyEvents(permanent.ctx, [event()]);
    expect(permanentCalls).toBe(1);
    expect(permanent.deadLetters).toEqual(['unrenderable']);
  });

  it("hands a failed keep-alive (the group's rebalance) back to the consumer: no retry, no dead letter", async () => {
    const rebalance = Object.assign(new Error('The group is rebalancing'), { type: 'REBALANCE_IN_PROGRESS' });
    let calls = 0;
    const waiting = context(
      handlerOf(async (_event, { keepAlive }) => {
        calls += 1;
        await keepAlive();
      }),
      async () => {
        throw rebalance;
      },
    );
    await expect(applyEvents(waiting.ctx, [event()])).rejects.toBe(rebalance);
    expect(calls).toBe(1);
    expect(waiting.deadLetters).toEqual([]);
  });
});
