import { useEffect } from 'react';
import { PriorityBadge, SlaClock, StatusBadge } from '../badges';
import type { Session } from '../session';
import { countdown, formatInstant, useNow } from '../time';
import { usePolling } from '../use-polling';
import { CASE_TYPE_WORDS, errorWords, OUTCOME_WORDS } from '../words';
import { AccountPanel } from './account-panel';
import { CaseActions } from './case-actions';
import { FlagsPanel } from './flags-panel';
import { MessagesPanel } from './messages-panel';
import { Timeline } from './timeline';

/** How often an open case page refreshes: another agent's note or a new occurrence shows up. */
const POLL_MS = 5000;

interface Props {
  caseId: string;
  session: Session;
  onUnauthenticated: (reason: string) => void;
}

export function CasePage({ caseId, session, onUnauthenticated }: Props) {
  const detail = usePolling((signal) => session.api.getCase(caseId, signal), POLL_MS, caseId);
  const now = useNow();

  useEffect(() => {
    if (detail.error?.code === 'CASE_UNAUTHENTICATED') onUnauthenticated('Your session ended: sign in again.');
  }, [detail.error, onUnauthenticated]);

  if (!detail.data) {
    return (
      <>
        <a href="#/">← Back to the queue</a>
        {detail.error ? (
          <p className="result error" role="alert">
            Could not load the case: {errorWords(detail.error.code)} ({detail.error.code})
          </p>
        ) : (
          <p className="loading">Loading the case…</p>
        )}
      </>
    );
  }

  const d = detail.data;
  const c = d.case;
  return (
    <article className="case" aria-labelledby="case-title">
      <a href="#/">← Back to the queue</a>
      <header className={`case-head priority-row-${c.priority}`}>
        <h1 id="case-title">
          {c.number} · {CASE_TYPE_WORDS[c.type]}
        </h1>
        <div className="badges">
          <PriorityBadge priority={c.priority} />
          <StatusBadge status={c.status} />
          <span className="badge">{c.assignee ? `held by ${c.assignee}` : 'unassigned'}</span>
          <span className="badge">{c.occurrenceCount === 1 ? 'seen once' : `seen ${c.occurrenceCount} times`}</span>
          {c.outcome && <span className="badge">outcome: {OUTCOME_WORDS[c.outcome]}</span>}
        </div>
        <p className="summary">{c.summary}</p>
        <dl className="facts sla-facts">
          <dt>Next deadline</dt>
          <dd>
            <SlaClock c={c} now={now} />
          </dd>
          <dt>First response</dt>
          <dd>
            {c.firstRespondedAt
              ? `answered ${formatInstant(c.firstRespondedAt)}`
              : `${countdown(c.firstResponseDueAt, now).text}${c.breached.firstResponse ? ' (breached)' : ''}`}
          </dd>
          <dt>Resolution</dt>
          <dd>
            {c.resolvedAt
              ? `resolved ${formatInstant(c.resolvedAt)}`
              : `${countdown(c.resolutionDueAt, now).text}${c.breached.resolution ? ' (breached)' : ''}`}
          </dd>
          <dt>Opened</dt>
          <dd>{formatInstant(c.openedAt)}</dd>
          <dt>Account</dt>
          <dd>
            <code>{c.accountId}</code>
          </dd>
        </dl>
        {detail.error && (
          <p className="result error" role="alert">
            Showing the last loaded state: {errorWords(detail.error.code)} ({detail.error.code})
          </p>
        )}
      </header>
      <div className="case-grid">
        <div className="main-col">
          <AccountPanel detail={d} />
          <MessagesPanel detail={d} />
          <FlagsPanel session={session} detail={d} onDone={detail.refresh} />
          <Timeline entries={d.timeline} />
        </div>
        <aside className="side-col">
          <CaseActions session={session} detail={d} onDone={detail.refresh} />
        </aside>
      </div>
    </article>
  );
}
