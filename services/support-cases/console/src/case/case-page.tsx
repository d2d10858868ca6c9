import { useEffect } from 'react';
import { PriorityBadge, SlaClock, StatusBadge } from '../badges';
import { useWords, type Words } from '../i18n/use-words';
import type { Session } from '../session';
import { untilDue, useNow } from '../time';
import { usePolling } from '../use-polling';
import { describeFailure } from '../words';
import { AccountPanel } from './account-panel';
import { CaseActions } from './case-actions';
import { FlagsPanel } from './flags-panel';
import { MessagesPanel } from './messages-panel';
import { NetworkPanel } from './network-panel';
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
  const words = useWords();
  const { t, format } = words;

  useEffect(() => {
    if (detail.error?.code === 'CASE_UNAUTHENTICATED') onUnauthenticated(t('app.sessionEnded'));
  }, [detail.error, onUnauthenticated, t]);

  if (!detail.data) {
    return (
      <>
        <a href="#/">{t('case.back')}</a>
        {detail.error ? (
          <p className="result error" role="alert">
            {t('case.loadFailed', { failure: describeFailure(words, detail.error) })}
          </p>
        ) : (
          <p className="loading">{t('case.loading')}</p>
        )}
      </>
    );
  }

  const d = detail.data;
  const c = d.case;
  return (
    <article className="case" aria-labelledby="case-title">
      <a href="#/">{t('case.back')}</a>
      <header className={`case-head priority-row-${c.priority}`}>
        <h1 id="case-title">{t('case.heading', { number: c.number, type: t(`caseType.${c.type}`) })}</h1>
        <div className="badges">
          <PriorityBadge priority={c.priority} />
          <StatusBadge status={c.status} />
          <span className="badge">{c.assignee ? t('case.heldBy', { name: c.assignee }) : t('case.unassigned')}</span>
          <span className="badge">{t('case.seen', { count: c.occurrenceCount })}</span>
          {c.outcome && <span className="badge">{t('case.outcome', { outcome: t(`outcome.${c.outcome}`) })}</span>}
        </div>
        <p className="summary">{c.summary}</p>
        <dl className="facts sla-facts">
          <dt>{t('case.nextDeadline')}</dt>
          <dd>
            <SlaClock c={c} now={now} />
          </dd>
          <dt>{t('case.firstResponse')}</dt>
          <dd>
            {c.firstRespondedAt
              ? t('case.answeredAt', { at: format.instant(c.firstRespondedAt) })
              : clock(words, c.firstResponseDueAt, now, c.breached.firstResponse)}
          </dd>
          <dt>{t('case.resolution')}</dt>
          <dd>
            {c.resolvedAt
              ? t('case.resolvedAt', { at: format.instant(c.resolvedAt) })
              : clock(words, c.resolutionDueAt, now, c.breached.resolution)}
          </dd>
          <dt>{t('case.opened')}</dt>
          <dd>{format.instant(c.openedAt)}</dd>
          <dt>{t('case.account')}</dt>
          <dd>
            <code>{c.accountId}</code>
          </dd>
        </dl>
        {detail.error && (
          <p className="result error" role="alert">
            {t('case.stale', { failure: describeFailure(words, detail.error) })}
          </p>
        )}
      </header>
      <div className="case-grid">
        <div className="main-col">
          {c.type === 'mule_destination' && <NetworkPanel session={session} caseId={c.id} onDone={detail.refresh} />}
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

/** "due in 3h 59m 10s", "overdue by 2m 10s (breached)": one SLA clock of the case. */
function clock({ t, format }: Words, dueAt: string, now: number, breached: boolean): string {
  const { ms, overdue } = untilDue(dueAt, now);
  const text = t(overdue ? 'sla.overdueBy' : 'sla.dueIn', { span: format.span(ms) });
  return breached ? t('sla.withBreach', { clock: text }) : text;
}
