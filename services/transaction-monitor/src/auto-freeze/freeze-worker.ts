import type { authInternalApi } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { ServiceAnswer, ServiceClient } from '@wallet-guard/http';
import { backoffDelay, sleep } from '@wallet-guard/messaging';
import type { Logger } from '@wallet-guard/observability';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock';
import { claimDueFreezes, finishFreeze, retryFreezeLater } from './freeze-requests-repo';

/** The one call of auth's internal API the worker makes (the typed client from the contracts). */
export type AuthFreezeCall = Pick<ServiceClient<typeof authInternalApi>, 'freezeAccount'>;
type FreezeAnswer = ServiceAnswer<(typeof authInternalApi)['freezeAccount']>;

/**
 * What the worker does with auth's answer: done on 204 and on 409 (already frozen); given up on
 * 404 and other 4xx, which will not get better by asking again, except 401/403/429 (a key or
 * rate problem an operator can fix); retried on those, 5xx, timeouts and network errors.
 */
function freezeOutcome(answer: FreezeAnswer): { outcome: 'frozen' } | { outcome: 'refused' | 'retry'; reason: string } {
  if (answer.outcome === 'ok' || (answer.outcome === 'refused' && answer.status === 409)) return { outcome: 'frozen' };
  const reason = answer.status === undefined ? answer.message : `auth answered ${answer.status}`;
  if (answer.outcome === 'unavailable' || [401, 403, 429].includes(answer.status)) return { outcome: 'retry', reason };
  return { outcome: 'refused', reason };
}

export interface FreezeWorkerOptions {
  db: Kysely<Database>;
  auth: AuthFreezeCall;
  clock: Clock;
  logger: Logger;
  onResult?: (result: 'frozen' | 'failed' | 'retry') => void;
  pollIntervalMs?: number;
  /** After this many attempts a request is given up (and logged as an error for a human). */
  maxAttempts?: number;
}

const LEASE_MS = 30_000;

/**
 * Sends pending freeze requests to auth until each is done or given up, retrying with backoff
 * (1 s doubling to 5 min). Several instances share the work without calling twice at once.
 * Returns the function that stops it (waiting for the round in hand).
 */
export function startFreezeWorker(options: FreezeWorkerOptions): () => Promise<void> {
  const stop = new AbortController();
  const log = options.logger.child({ component: 'freeze-worker' });
  const maxAttempts = options.maxAttempts ?? 20;
  const round = async () => {
    for (const request of await claimDueFreezes(options.db, options.clock(), 10, LEASE_MS)) {
      const answer = freezeOutcome(
        await options.auth.freezeAccount({
          params: { id: request.accountId },
          body: { actor: 'transaction-monitor', by: 'system', reason: request.reason },
        }),
      );
      const context = { accountId: request.accountId, flagId: request.flagId, attempt: request.attempts };
      if (answer.outcome === 'frozen') {
        await finishFreeze(options.db, request.id, { status: 'done', error: null, at: options.clock() });
        log.info(context, 'account frozen for suspected theft');
        options.onResult?.('frozen');
      } else if (answer.outcome === 'refused' || request.attempts >= maxAttempts) {
        await finishFreeze(options.db, request.id, { status: 'failed', error: answer.reason, at: options.clock() });
        log.error({ ...context, reason: answer.reason }, 'auto-freeze given up; a human must act');
        options.onResult?.('failed');
      } else {
        const retryAt = new Date(options.clock().getTime() + backoffDelay(request.attempts - 1, 1_000, 300_000));
        await retryFreezeLater(options.db, request.id, retryAt, answer.reason);
        log.warn({ ...context, reason: answer.reason }, 'auto-freeze failed; will retry');
        options.onResult?.('retry');
      }
    }
  };
  const loop = (async () => {
    while (!stop.signal.aborted) {
      await round().catch((error: unknown) => log.warn({ err: error }, 'freeze round failed'));
      await sleep(options.pollIntervalMs ?? 1_000, stop.signal);
    }
  })();
  return async () => {
    stop.abort();
    await loop;
  };
}
