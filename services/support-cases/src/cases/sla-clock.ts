import type { CasesTable, Database } from '@wallet-guard/db';
import type { Transaction, Updateable } from 'kysely';
import { calendarOf } from '../sla/calendar-settings';
import { calendarSettingsAt, currentCalendarSettings } from '../sla/calendar-store';
import type { CaseContext } from './case-context';
import type { CaseRecord } from './case-record';
import { type CasePriority, type Deadlines, deadlines, endPause, type SlaPauses } from './case-rules';

type SlaColumns = Pick<
  Updateable<CasesTable>,
  | 'first_response_due_at'
  | 'resolution_due_at'
  | 'sla_paused_ms'
  | 'first_response_paused_ms'
  | 'sla_paused_at'
  | 'sla_pauses'
>;

/**
 * The deadlines of a case opening now, in the calendar settings in force, and the version it
 * must record (so that every later recomputation uses the same calendars).
 */
export async function openingDeadlines(
  trx: Transaction<Database>,
  context: CaseContext,
  openedAt: Date,
  priority: CasePriority,
): Promise<Deadlines & { slaCalendarVersion: number }> {
  const settings = await currentCalendarSettings(trx, context.sla.defaultCalendars, openedAt);
  return {
    ...deadlines(openedAt, priority, context.sla, undefined, calendarOf(settings, priority)),
    slaCalendarVersion: settings.version,
  };
}

/**
 * The SLA columns of a case after a change that moves its deadlines: a new priority, and/or the
 * end (at `resumeAt`) of a pause waiting for the customer. Every path that sets deadlines uses
 * this, so they always equal `deadlines(openedAt, priority, policy, recorded pauses, calendar)`
 * with the calendar of that priority in the settings version the case recorded at opening.
 */
export async function slaColumns(
  trx: Transaction<Database>,
  context: CaseContext,
  c: CaseRecord,
  change: { priority?: CasePriority; resumeAt?: Date },
): Promise<SlaColumns> {
  const pauses: SlaPauses =
    change.resumeAt && c.slaPausedAt
      ? endPause(c, c.slaPausedAt, change.resumeAt)
      : { pausedMs: c.slaPausedMs, firstResponsePausedMs: c.firstResponsePausedMs, intervals: c.slaPauses };
  const priority = change.priority ?? c.priority;
  const settings = await calendarSettingsAt(trx, c.slaCalendarVersion);
  const due = deadlines(c.openedAt, priority, context.sla, pauses, calendarOf(settings, priority));
  return {
    first_response_due_at: due.firstResponseDueAt,
    resolution_due_at: due.resolutionDueAt,
    sla_paused_ms: pauses.pausedMs,
    first_response_paused_ms: pauses.firstResponsePausedMs,
    sla_pauses: JSON.stringify(
      pauses.intervals.map((p) => ({
        from: p.from.toISOString(),
        to: p.to.toISOString(),
        owedUntil: p.owedUntil.toISOString(),
      })),
    ),
    ...(change.resumeAt ? { sla_paused_at: null } : {}),
  };
}
