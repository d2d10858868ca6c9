import type { TimelineEntryView } from '@wallet-guard/contracts';
import { wordsOr } from '../i18n/console-i18n';
import { useWords, type Words } from '../i18n/use-words';
import { actorWords, timelineWords } from '../words';

/**
 * The case's audit trail, newest first: who did what, when, from what to what. The entry bodies
 * (notes, reasons) are what people and the service wrote, shown as written.
 */
export function Timeline({ entries }: { entries: TimelineEntryView[] }) {
  const words = useWords();
  const { t, format } = words;
  const newestFirst = [...entries].reverse();
  return (
    <section className="panel" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('timeline.title')}</h2>
      <ol className="timeline">
        {newestFirst.map((e) => (
          <li key={e.id} className={`entry kind-${e.kind}`}>
            <div className="entry-head">
              <time dateTime={e.at}>{format.instant(e.at)}</time> ·{' '}
              <span className="actor">{actorWords(words, e.actor)}</span> ·{' '}
              <strong>{timelineWords(words, e.kind)}</strong>
              {e.kind === 'note' && (
                <span className={`badge ${e.visibility === 'public' ? 'public' : ''}`}>
                  {e.visibility === 'public' ? t('timeline.customerSees') : t('timeline.internal')}
                </span>
              )}
            </div>
            {e.body && <p className="entry-body">{e.body}</p>}
            <Change entry={e} words={words} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function Change({ entry, words }: { entry: TimelineEntryView; words: Words }) {
  const { t, i18n } = words;
  const verification = entry.data.verification as { method?: string; reference?: string } | undefined;
  const parts: string[] = [];
  if (isShown(entry.oldValue)) parts.push(`${show(words, entry.oldValue)} → ${show(words, entry.newValue)}`);
  else if (isShown(entry.newValue)) parts.push(show(words, entry.newValue));
  // A request is recorded before the other service acts, its outcome after: both carry the check,
  // worded apart so that the identity check reads once, on the action that was done.
  // Copied from a duplicate merged into this case: say from which.
  const mergedFrom = entry.data.mergedFrom as { caseNumber?: string } | undefined;
  if (entry.kind !== 'merged' && mergedFrom?.caseNumber)
    parts.push(t('timeline.fromMerged', { number: mergedFrom.caseNumber }));
  const requested = entry.kind === 'action_requested';
  if (requested && typeof entry.data.action === 'string')
    parts.push(t('timeline.askedFor', { action: timelineWords(words, entry.data.action) }));
  if (verification?.method) {
    const method = wordsOr(i18n, `verification.${verification.method}`, verification.method);
    const reference = verification.reference ?? '—';
    parts.push(t(requested ? 'timeline.callerVerified' : 'timeline.identityCheck', { method, reference }));
  }
  return parts.length > 0 ? <p className="entry-change">{parts.join(' · ')}</p> : null;
}

const isShown = (v: unknown) => v !== null && v !== undefined;

/** An old or new value: a status or priority in words, anything else as recorded. */
function show({ i18n }: Words, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return wordsOr(i18n, `status.${value}`, wordsOr(i18n, `priority.${value}`, value));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}
