import type { Database } from '@wallet-guard/db';
import type { Logger } from '@wallet-guard/observability';
import { type Kysely, sql } from 'kysely';
import { appendTimeline } from '../cases/cases-repo';
import type { Clock } from '../clock';
import { repeatWithoutOverlap } from '../periodic-task';

/**
 * How long an account action may stay requested without an outcome before it is settled as
 * unknown. The other service gets 5 s to answer (the service clients), so a request still open after
 * this is one whose process stopped mid-way, or whose outcome could not be written.
 */
export const UNANSWERED_AFTER_MS = 10 * 60_000;

/**
 * Requests older than this are not looked at: every run settles what it finds, so only a service
 * stopped for longer than this could leave one behind, and each run stays small.
 */
const LOOKBACK_MS = 30 * 86_400_000;

/**
 * Settles the account actions whose request (`action_requested`) is on a case but whose outcome
 * never was: after `UNANSWERED_AFTER_MS` each gets an `action_failed` entry with outcome `unknown`
 * (by `system`, naming the request in `data.requestId`), so the agent sees the action may or may
 * not have been done and checks the account before trying again. `now` is the service's clock.
 * Idempotent, and safe with several instances (one runs at a time; the others return 0). Returns
 * how many requests it settled.
 */
export async function settleUnansweredActions(db: Kysely<Database>, now: Date, limit = 100): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const lock = await sql<{ ok: boolean }>`
      select pg_try_advisory_xact_lock(hashtextextended('support-cases:unanswered-actions', 0)) as ok`.execute(trx);
    if (!lock.rows[0]?.ok) return 0;
    const pending = await sql<{ id: string; case_id: string; data: Record<string, unknown> }>`
      select r.id::text as id, r.case_id, r.data
      from case_timeline r
      where r.kind = 'action_requested'
        and r.at < ${new Date(now.getTime() - UNANSWERED_AFTER_MS)}
        and r.at >= ${new Date(now.getTime() - LOOKBACK_MS)}
        and not exists (
          select 1 from case_timeline o
          where o.case_id = r.case_id and o.id > r.id and o.kind <> 'action_requested'
            and o.data->>'requestId' = r.id::text)
      order by r.id
      limit ${limit}`.execute(trx);
    for (const request of pending.rows) {
      const action = typeof request.data.action === 'string' ? request.data.action : 'account action';
      const service = typeof request.data.service === 'string' ? request.data.service : 'the other service';
      await appendTimeline(
        trx,
        request.case_id,
        [
          {
            actor: 'system',
            kind: 'action_failed',
            body: `${action.replaceAll('_', ' ')}: no outcome was recorded; ${service} may or may not have done it`,
            data: { action, service, outcome: 'unknown', reason: 'no_outcome_recorded', requestId: request.id },
          },
        ],
        now,
      );
    }
    return pending.rows.length;
  });
}

/** Runs `settleUnansweredActions` every `intervalMs` while the service runs; returns the stop function. */
export function startUnansweredActionsWatch(
  db: Kysely<Database>,
  clock: Clock,
  logger: Logger,
  intervalMs: number,
): () => void {
  return repeatWithoutOverlap(() => settleUnansweredActions(db, clock()), {
    intervalMs,
    logger,
    done: (count) => logger.warn({ actions: count }, 'account actions without a recorded outcome settled as unknown'),
    failure: 'settling unanswered actions failed; next run retries',
  });
}
