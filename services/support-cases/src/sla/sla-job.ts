import type { Database } from '@wallet-guard/db';
import type { EventBus } from '@wallet-guard/messaging';
import type { Logger } from '@wallet-guard/observability';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock';
import { repeatWithoutOverlap } from '../periodic-task';
import { type EscalationPolicy, flagBreaches } from './breaches';

/**
 * Looks for missed SLAs every `intervalMs` while the service runs, against the service's clock.
 * Safe with several instances (each breach is recorded, and each urgent case escalated, once).
 * Returns the function that stops it.
 */
export function startSlaWatch(
  db: Kysely<Database>,
  bus: EventBus,
  clock: Clock,
  logger: Logger,
  intervalMs: number,
  escalation: EscalationPolicy,
): () => void {
  return repeatWithoutOverlap(() => flagBreaches(db, bus, clock(), { escalation }), {
    intervalMs,
    logger,
    done: (count) => logger.info({ breaches: count }, 'SLA breaches flagged'),
    failure: 'SLA check failed; next run retries',
  });
}
