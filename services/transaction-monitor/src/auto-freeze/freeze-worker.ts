import type { Database } from '@wallet-guard/db';
import { backoffDelay, sleep } from '@wallet-guard/messaging';
import type { Logger } from '@wallet-guard/observability';
import type { Kysely } from 'kysely';
import type { AuthFreezeClient } from './auth-freeze-client';
import { claimDueFreezes, finishFreeze, retryFreezeLater } from './freeze-requests-repo';

export interface FreezeWorkerOptions {
  db: Kysely<Database>;
  auth: AuthFreezeClient;
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
    for (const request of await claimDueFreezes(options.db, 10, LEASE_MS)) {
      const answer = await options.auth.freeze(request.accountId, request.reason);
      const context = { accountId: request.accountId, flagId: request.flagId, attempt: request.attempts };
      if (answer.outcome === 'frozen') {
        await finishFreeze(options.db, request.id, 'done', null);
        log.info(context, 'account frozen for suspected theft');
        options.onResult?.('frozen');
      } else if (answer.outcome === 'refused' || request.attempts >= maxAttempts) {
        await finishFreeze(options.db, request.id, 'failed', answer.reason);
        log.error({ ...context, reason: answer.reason }, 'auto-freeze given up; a human must act');
        options.onResult?.('failed');
      } else {
        await retryFreezeLater(
          options.db,
          request.id,
          backoffDelay(request.attempts - 1, 1_000, 300_000),
          answer.reason,
        );
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
