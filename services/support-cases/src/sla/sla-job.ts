import type { Database } from '@wallet-guard/db';
import type { EventBus } from '@wallet-guard/messaging';
import type { Logger } from '@wallet-guard/observability';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock';
import { flagBreaches } from './breaches';

/**
 * Looks for missed SLAs every `intervalMs` while the service runs, against the service's clock.
 * Safe with several instances (each breach is recorded once). Returns the function that stops it.
 */
export function startSlaWatch(
  db: Kysely<Database>,
  bus: EventBus,
  clock: Clock,
  logger: Logger,
  intervalMs: number,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    flagBreaches(db, bus, clock())
      .then((count) => {
        if (count > 0) logger.info({ breaches: count }, 'SLA breaches flagged');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'SLA check failed; next run retries'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
