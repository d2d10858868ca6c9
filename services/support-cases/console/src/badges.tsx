import type { CaseView } from '@wallet-guard/contracts';
import { useWords } from './i18n/use-words';
import { untilDue } from './time';

export function PriorityBadge({ priority }: { priority: CaseView['priority'] }) {
  const { t } = useWords();
  return <span className={`badge priority-${priority}`}>{t(`priority.${priority}`)}</span>;
}

export function StatusBadge({ status }: { status: CaseView['status'] }) {
  const { t } = useWords();
  return <span className={`badge status status-${status}`}>{t(`status.${status}`)}</span>;
}

/** The next SLA deadline, ticking; paused and breached cases say so. */
export function SlaClock({ c, now }: { c: CaseView; now: number }) {
  const { t } = useWords();
  const breached = c.breached.firstResponse || c.breached.resolution;
  return (
    <span className="sla">
      {c.nextDueAt === null ? (
        <span className="muted">{t('sla.noDeadline')}</span>
      ) : c.slaPaused ? (
        <span className="muted">{t('sla.paused')}</span>
      ) : (
        <SlaCountdown dueAt={c.nextDueAt} which={c.firstRespondedAt ? 'resolution' : 'firstResponse'} now={now} />
      )}
      {breached && (
        <span className="badge breached" title={t('sla.breachedHint')}>
          {t('sla.breached')}
        </span>
      )}
    </span>
  );
}

function SlaCountdown({ dueAt, which, now }: { dueAt: string; which: 'firstResponse' | 'resolution'; now: number }) {
  const { t, format } = useWords();
  const { ms, overdue } = untilDue(dueAt, now);
  return (
    <time dateTime={dueAt} className={overdue ? 'overdue' : undefined}>
      {t(overdue ? `sla.${which}OverdueBy` : `sla.${which}DueIn`, { span: format.span(ms) })}
    </time>
  );
}
