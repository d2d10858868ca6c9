import type { TimelineEntryView } from '@wallet-guard/contracts';
import { formatInstant } from '../time';
import { actorWords, STATUS_WORDS, timelineWords, VERIFICATION_WORDS } from '../words';

/** The case's audit trail, newest first: who did what, when, from what to what. */
export function Timeline({ entries }: { entries: TimelineEntryView[] }) {
  const newestFirst = [...entries].reverse();
  return (
    <section className="panel" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      <ol className="timeline">
        {newestFirst.map((e) => (
          <li key={e.id} className={`entry kind-${e.kind}`}>
            <div className="entry-head">
              <time dateTime={e.at}>{formatInstant(e.at)}</time> · <span className="actor">{actorWords(e.actor)}</span>{' '}
              · <strong>{timelineWords(e.kind)}</strong>
              {e.kind === 'note' && (
                <span className={`badge ${e.visibility === 'public' ? 'public' : ''}`}>
                  {e.visibility === 'public' ? 'customer sees it' : 'internal'}
                </span>
              )}
            </div>
            {e.body && <p className="entry-body">{e.body}</p>}
            <Change entry={e} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function Change({ entry }: { entry: TimelineEntryView }) {
  const verification = entry.data.verification as { method?: string; reference?: string } | undefined;
  const parts: string[] = [];
  if (isShown(entry.oldValue)) parts.push(`${show(entry.oldValue)} → ${show(entry.newValue)}`);
  else if (isShown(entry.newValue)) parts.push(show(entry.newValue));
  // A request is recorded before the other service acts, its outcome after: both carry the check,
  // worded apart so that the identity check reads once, on the action that was done.
  const requested = entry.kind === 'action_requested';
  if (requested && typeof entry.data.action === 'string') parts.push(`Asked for: ${timelineWords(entry.data.action)}`);
  if (verification?.method) {
    const method = VERIFICATION_WORDS[verification.method as keyof typeof VERIFICATION_WORDS] ?? verification.method;
    const reference = verification.reference ?? '—';
    parts.push(
      requested ? `caller verified by ${method} (${reference})` : `Identity check: ${method}, reference ${reference}`,
    );
  }
  return parts.length > 0 ? <p className="entry-change">{parts.join(' · ')}</p> : null;
}

const isShown = (v: unknown) => v !== null && v !== undefined;

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return STATUS_WORDS[value as keyof typeof STATUS_WORDS] ?? value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}
