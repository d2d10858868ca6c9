import type { CasesTable } from '@wallet-guard/db';
import type { Updateable } from 'kysely';
import type { CaseRecord } from './case-record';
import { type CasePriority, deadlines, endPause, type SlaPolicy } from './case-rules';

type SlaColumns = Pick<
  Updateable<CasesTable>,
  'first_response_due_at' | 'resolution_due_at' | 'sla_paused_ms' | 'first_response_paused_ms' | 'sla_paused_at'
>;

/**
 * The SLA columns of a case after a change that moves its deadlines: a new priority, and/or the
 * end (at `resumeAt`) of a pause waiting for the customer. Every path that sets deadlines uses
 * this, so they always equal `deadlines(openedAt, priority, policy, recorded pauses)`.
 */
export function slaColumns(
  c: CaseRecord,
  policy: SlaPolicy,
  change: { priority?: CasePriority; resumeAt?: Date },
): SlaColumns {
  const pauses =
    change.resumeAt && c.slaPausedAt
      ? endPause(c, c.slaPausedAt, change.resumeAt)
      : { pausedMs: c.slaPausedMs, firstResponsePausedMs: c.firstResponsePausedMs };
  const due = deadlines(c.openedAt, change.priority ?? c.priority, policy, pauses);
  return {
    first_response_due_at: due.firstResponseDueAt,
    resolution_due_at: due.resolutionDueAt,
    sla_paused_ms: pauses.pausedMs,
    first_response_paused_ms: pauses.firstResponsePausedMs,
    ...(change.resumeAt ? { sla_paused_at: null } : {}),
  };
}
