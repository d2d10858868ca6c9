import type { CasesTable } from '@wallet-guard/db';
import type { Selectable } from 'kysely';
import {
  type CaseOutcome,
  type CasePriority,
  type CaseStatus,
  type CaseType,
  caseNumber,
  type SlaPause,
} from './case-rules';

/** A case as the service works with it (mapped from its row at the boundary). */
export interface CaseRecord {
  id: string;
  number: string;
  type: CaseType;
  priority: CasePriority;
  status: CaseStatus;
  accountId: string;
  queue: 'agents' | 'supervisors';
  assignee: string | null;
  occurrenceCount: number;
  outcome: CaseOutcome | null;
  locale: string | null;
  summary: string;
  openedAt: Date;
  updatedAt: Date;
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
  firstRespondedAt: Date | null;
  slaPausedAt: Date | null;
  /** Milliseconds the SLA clocks stood still before the current pause (if any). */
  slaPausedMs: number;
  /** Of those, the milliseconds while the first response was still owed. */
  firstResponsePausedMs: number;
  /** The ended pauses (a business calendar credits only their part inside its hours). */
  slaPauses: SlaPause[];
  /** The calendar settings version its deadlines are computed with; null: opened before calendars (24/7). */
  slaCalendarVersion: number | null;
  firstResponseBreached: boolean;
  resolutionBreached: boolean;
  resolvedAt: Date | null;
  closedAt: Date | null;
  nextDueAt: Date | null;
  /** The case this duplicate was merged into (it is closed); null for a case never merged. */
  mergedInto: string | null;
  mergedAt: Date | null;
}

export type CaseRow = Selectable<CasesTable>;

export function toCaseRecord(row: CaseRow): CaseRecord {
  return {
    id: row.id,
    number: caseNumber(row.number),
    type: row.type as CaseType,
    priority: row.priority as CasePriority,
    status: row.status as CaseStatus,
    accountId: row.account_id,
    queue: row.queue as CaseRecord['queue'],
    assignee: row.assignee,
    occurrenceCount: row.occurrence_count,
    outcome: row.outcome as CaseOutcome | null,
    locale: row.locale,
    summary: row.summary,
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
    firstResponseDueAt: row.first_response_due_at,
    resolutionDueAt: row.resolution_due_at,
    firstRespondedAt: row.first_responded_at,
    slaPausedAt: row.sla_paused_at,
    slaPausedMs: Number(row.sla_paused_ms),
    firstResponsePausedMs: Number(row.first_response_paused_ms),
    slaPauses: (row.sla_pauses ?? []).map((p) => ({
      from: new Date(p.from),
      to: new Date(p.to),
      owedUntil: new Date(p.owedUntil),
    })),
    slaCalendarVersion: row.sla_calendar_version,
    firstResponseBreached: row.first_response_breached,
    resolutionBreached: row.resolution_breached,
    resolvedAt: row.resolved_at,
    closedAt: row.closed_at,
    nextDueAt: row.next_due_at,
    mergedInto: row.merged_into,
    mergedAt: row.merged_at,
  };
}
