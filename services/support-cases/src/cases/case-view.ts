import type { CaseView, TimelineEntryView } from '@wallet-guard/contracts';
import type { CaseRecord } from './case-record';
import type { TimelineRow } from './cases-repo';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toCaseView(c: CaseRecord): CaseView {
  return {
    id: c.id,
    number: c.number,
    type: c.type,
    priority: c.priority,
    status: c.status,
    accountId: c.accountId,
    queue: c.queue,
    assignee: c.assignee,
    occurrenceCount: c.occurrenceCount,
    outcome: c.outcome,
    summary: c.summary,
    openedAt: c.openedAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    firstResponseDueAt: c.firstResponseDueAt.toISOString(),
    resolutionDueAt: c.resolutionDueAt.toISOString(),
    firstRespondedAt: iso(c.firstRespondedAt),
    nextDueAt: iso(c.nextDueAt),
    slaPaused: c.slaPausedAt !== null,
    breached: { firstResponse: c.firstResponseBreached, resolution: c.resolutionBreached },
    resolvedAt: iso(c.resolvedAt),
    closedAt: iso(c.closedAt),
    mergedInto: c.mergedInto,
  };
}

export function toTimelineView(row: TimelineRow): TimelineEntryView {
  return { ...row, at: row.at.toISOString(), body: row.body ?? null };
}
