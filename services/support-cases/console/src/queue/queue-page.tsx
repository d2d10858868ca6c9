import type { CaseView } from '@wallet-guard/contracts';
import { useEffect, useRef, useState } from 'react';
import type { QueueFilters } from '../api';
import { PriorityBadge, SlaClock, StatusBadge } from '../badges';
import { useWords } from '../i18n/use-words';
import type { Session } from '../session';
import { useNow } from '../time';
import { usePolling } from '../use-polling';
import { describeFailure } from '../words';
import { ACTIVE_STATUSES, QueueFiltersForm } from './queue-filters';

/** How often the queue asks for changes: new cases appear without a reload. */
const POLL_MS = 4000;

interface Props {
  session: Session;
  onUnauthenticated: (reason: string) => void;
}

export function QueuePage({ session, onUnauthenticated }: Props) {
  const [filters, setFilters] = useState<QueueFilters>({
    status: ACTIVE_STATUSES,
    priority: '',
    type: '',
    assignee: '',
    queue: '',
  });
  const key = JSON.stringify(filters);
  const queue = usePolling((signal) => session.api.listCases(filters, signal), POLL_MS, key);
  const now = useNow();
  const fresh = useFreshCases(queue.data?.items, key);
  const words = useWords();
  const { t } = words;

  useEffect(() => {
    if (queue.error?.code === 'CASE_UNAUTHENTICATED') onUnauthenticated(t('app.sessionEnded'));
  }, [queue.error, onUnauthenticated, t]);

  const items = queue.data?.items;
  return (
    <section aria-labelledby="queue-title">
      <div className="page-head">
        <h1 id="queue-title">{t('queue.title')}</h1>
        <p className="muted">{t('queue.subtitle')}</p>
      </div>
      <QueueFiltersForm filters={filters} supervisor={session.agent.role === 'supervisor'} onChange={setFilters} />
      <p className="live-note" aria-live="polite">
        {fresh.size > 0 ? t('queue.arrived', { count: fresh.size }) : ''}
      </p>
      {queue.error && queue.error.code !== 'CASE_UNAUTHENTICATED' && (
        <p className="result error" role="alert">
          {t('queue.loadFailed', { failure: describeFailure(words, queue.error) })}
        </p>
      )}
      {!items ? (
        <p className="loading">{t('queue.loading')}</p>
      ) : items.length === 0 ? (
        <p className="empty">{t('queue.empty')}</p>
      ) : (
        <table className="queue">
          <thead>
            <tr>
              <th scope="col">{t('queue.column.case')}</th>
              <th scope="col">{t('queue.column.priority')}</th>
              <th scope="col">{t('queue.column.type')}</th>
              <th scope="col">{t('queue.column.status')}</th>
              <th scope="col">{t('queue.column.assignee')}</th>
              <th scope="col">{t('queue.column.sla')}</th>
              <th scope="col">{t('queue.column.seen')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <QueueRow key={c.id} c={c} now={now} fresh={fresh.has(c.id)} />
            ))}
          </tbody>
        </table>
      )}
      {queue.data?.nextCursor && <p className="muted">{t('queue.truncated')}</p>}
    </section>
  );
}

function QueueRow({ c, now, fresh }: { c: CaseView; now: number; fresh: boolean }) {
  const { t } = useWords();
  const breached = c.breached.firstResponse || c.breached.resolution;
  return (
    <tr className={`priority-row-${c.priority}${breached ? ' is-breached' : ''}${fresh ? ' is-fresh' : ''}`}>
      <td data-label={t('queue.column.case')}>
        <a href={`#/cases/${c.id}`}>{c.number}</a>
        {fresh && <span className="badge fresh">{t('queue.fresh')}</span>}
        <div className="summary">{c.summary}</div>
      </td>
      <td data-label={t('queue.column.priority')}>
        <PriorityBadge priority={c.priority} />
      </td>
      <td data-label={t('queue.column.type')}>{t(`caseType.${c.type}`)}</td>
      <td data-label={t('queue.column.status')}>
        <StatusBadge status={c.status} />
      </td>
      <td data-label={t('queue.column.assignee')}>
        {c.assignee ?? <span className="muted">{t('queue.unassigned')}</span>}
      </td>
      <td data-label={t('queue.column.sla')}>
        <SlaClock c={c} now={now} />
      </td>
      <td data-label={t('queue.column.seen')}>{t('queue.seen', { count: c.occurrenceCount })}</td>
    </tr>
  );
}

/** Cases that appeared after the first load of these filters, so the agent notices them arrive. */
function useFreshCases(items: CaseView[] | undefined, filtersKey: string): Set<string> {
  const seen = useRef<{ key: string; ids: Set<string> } | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  useEffect(() => {
    if (!items) return;
    if (seen.current?.key !== filtersKey) {
      seen.current = { key: filtersKey, ids: new Set(items.map((c) => c.id)) };
      setFresh(new Set());
      return;
    }
    const known = seen.current.ids;
    const arrived = items.filter((c) => !known.has(c.id)).map((c) => c.id);
    if (arrived.length === 0) return;
    for (const id of arrived) known.add(id);
    setFresh((previous) => new Set([...previous, ...arrived]));
  }, [items, filtersKey]);
  return fresh;
}
