import type { CaseView } from '@wallet-guard/contracts';
import { useEffect, useRef, useState } from 'react';
import type { QueueFilters } from '../api';
import { PriorityBadge, SlaClock, StatusBadge } from '../badges';
import type { Session } from '../session';
import { useNow } from '../time';
import { usePolling } from '../use-polling';
import { CASE_TYPE_WORDS, errorWords } from '../words';
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

  useEffect(() => {
    if (queue.error?.code === 'CASE_UNAUTHENTICATED') onUnauthenticated('Your session ended: sign in again.');
  }, [queue.error, onUnauthenticated]);

  const items = queue.data?.items;
  return (
    <section aria-labelledby="queue-title">
      <div className="page-head">
        <h1 id="queue-title">Queue</h1>
        <p className="muted">Sorted by the SLA deadline that comes next · updates every few seconds</p>
      </div>
      <QueueFiltersForm filters={filters} supervisor={session.agent.role === 'supervisor'} onChange={setFilters} />
      <p className="live-note" aria-live="polite">
        {fresh.size > 0 ? `${fresh.size} new case${fresh.size > 1 ? 's' : ''} arrived` : ''}
      </p>
      {queue.error && queue.error.code !== 'CASE_UNAUTHENTICATED' && (
        <p className="result error" role="alert">
          Could not load the queue: {errorWords(queue.error.code)} ({queue.error.code})
        </p>
      )}
      {!items ? (
        <p className="loading">Loading the queue…</p>
      ) : items.length === 0 ? (
        <p className="empty">No cases match these filters.</p>
      ) : (
        <table className="queue">
          <thead>
            <tr>
              <th scope="col">Case</th>
              <th scope="col">Priority</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Assignee</th>
              <th scope="col">SLA</th>
              <th scope="col">Seen</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <QueueRow key={c.id} c={c} now={now} fresh={fresh.has(c.id)} />
            ))}
          </tbody>
        </table>
      )}
      {queue.data?.nextCursor && <p className="muted">Showing the first 100: narrow the filters to see the rest.</p>}
    </section>
  );
}

function QueueRow({ c, now, fresh }: { c: CaseView; now: number; fresh: boolean }) {
  const breached = c.breached.firstResponse || c.breached.resolution;
  return (
    <tr className={`priority-row-${c.priority}${breached ? ' is-breached' : ''}${fresh ? ' is-fresh' : ''}`}>
      <td data-label="Case">
        <a href={`#/cases/${c.id}`}>{c.number}</a>
        {fresh && <span className="badge fresh">new</span>}
        <div className="summary">{c.summary}</div>
      </td>
      <td data-label="Priority">
        <PriorityBadge priority={c.priority} />
      </td>
      <td data-label="Type">{CASE_TYPE_WORDS[c.type]}</td>
      <td data-label="Status">
        <StatusBadge status={c.status} />
      </td>
      <td data-label="Assignee">{c.assignee ?? <span className="muted">unassigned</span>}</td>
      <td data-label="SLA">
        <SlaClock c={c} now={now} />
      </td>
      <td data-label="Seen">{c.occurrenceCount === 1 ? 'once' : `${c.occurrenceCount} times`}</td>
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
