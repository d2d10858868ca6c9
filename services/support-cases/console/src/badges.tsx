import type { CaseView } from '@wallet-guard/contracts';
import { countdown } from './time';
import { PRIORITY_WORDS, STATUS_WORDS } from './words';

export function PriorityBadge({ priority }: { priority: CaseView['priority'] }) {
  return <span className={`badge priority-${priority}`}>{PRIORITY_WORDS[priority]}</span>;
}

export function StatusBadge({ status }: { status: CaseView['status'] }) {
  return <span className={`badge status status-${status}`}>{STATUS_WORDS[status]}</span>;
}

/** The next SLA deadline, ticking; paused and breached cases say so. */
export function SlaClock({ c, now }: { c: CaseView; now: number }) {
  const breached = c.breached.firstResponse || c.breached.resolution;
  const which = c.firstRespondedAt ? 'resolution' : 'first response';
  return (
    <span className="sla">
      {c.nextDueAt === null ? (
        <span className="muted">no deadline</span>
      ) : c.slaPaused ? (
        <span className="muted">SLA paused (waiting for customer)</span>
      ) : (
        <SlaCountdown dueAt={c.nextDueAt} which={which} now={now} />
      )}
      {breached && (
        <span className="badge breached" title="A deadline of this case was missed">
          SLA breached
        </span>
      )}
    </span>
  );
}

function SlaCountdown({ dueAt, which, now }: { dueAt: string; which: string; now: number }) {
  const { text, overdue } = countdown(dueAt, now);
  return (
    <time dateTime={dueAt} className={overdue ? 'overdue' : undefined}>
      {which} {text}
    </time>
  );
}
