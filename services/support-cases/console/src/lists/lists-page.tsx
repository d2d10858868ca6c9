// The monitor's managed lists (#/lists): the entries with filters, the form that adds one and the
// button that removes one (supervisors), and the audit trail of every change. Agents read;
// support-cases refuses their changes anyway (403), so the forms are only shown to supervisors.
import {
  LIST_ACTIONS,
  LIST_KINDS,
  type ListAction,
  type ListAuditRecord,
  type ListEntry,
  type ListKind,
} from '@wallet-guard/contracts';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { ApiError, type ListFilters } from '../api';
import { useWords } from '../i18n/use-words';
import type { Session } from '../session';
import { actorWords, describeFailure } from '../words';

interface Props {
  session: Session;
  onUnauthenticated: (reason: string) => void;
}

const NO_FILTERS: ListFilters = { kind: '', action: '', includeRemoved: false };

export function ListsPage({ session, onUnauthenticated }: Props) {
  const words = useWords();
  const { t, format } = words;
  const supervisor = session.agent.role === 'supervisor';
  const [filters, setFilters] = useState<ListFilters>(NO_FILTERS);
  const [entries, setEntries] = useState<ListEntry[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [version, setVersion] = useState<number | null>(null);
  const [audit, setAudit] = useState<ListAuditRecord[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const fail = useCallback(
    (error: unknown, key: 'lists.loadFailed' | 'lists.changeFailed') => {
      if (error instanceof ApiError && error.code === 'CASE_UNAUTHENTICATED') onUnauthenticated(t('app.sessionEnded'));
      else if (key === 'lists.loadFailed') setFailure(t(key, { failure: describeFailure(words, error) }));
      else setResult({ ok: false, text: t(key, { failure: describeFailure(words, error) }) });
    },
    [onUnauthenticated, t, words],
  );

  const load = useCallback(
    async (shown: ListFilters, cursor: string | null = null) => {
      setFailure(null);
      try {
        const [page, trail] = await Promise.all([
          session.api.listEntries(shown, cursor),
          cursor ? null : session.api.listAudit(),
        ]);
        setEntries((before) => (cursor && before ? [...before, ...page.items] : page.items));
        setNext(page.nextCursor);
        setVersion(page.listsVersion);
        if (trail) setAudit(trail.items);
      } catch (error) {
        fail(error, 'lists.loadFailed');
      }
    },
    [session, fail],
  );

  useEffect(() => {
    void load(NO_FILTERS);
  }, []);

  const filter = (change: Partial<ListFilters>) => {
    const shown = { ...filters, ...change };
    setFilters(shown);
    void load(shown);
  };

  const change = async (work: () => Promise<ListEntry>, done: (entry: ListEntry) => string) => {
    setBusy(true);
    setResult(null);
    try {
      const entry = await work();
      setResult({ ok: true, text: done(entry) });
      await load(filters);
      return true;
    } catch (error) {
      fail(error, 'lists.changeFailed');
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const expires = String(form.get('expiresAt') ?? '');
    const added = await change(
      () =>
        session.api.addListEntry({
          kind: String(form.get('kind')) as ListKind,
          value: String(form.get('value')),
          action: String(form.get('action')) as ListAction,
          reason: String(form.get('reason')),
          ...(expires ? { expiresAt: new Date(expires).toISOString() } : {}),
        }),
      (entry) => t('lists.added', { value: entry.value, version: entry.version }),
    );
    if (added) formElement.reset();
  };

  const remove = (entry: ListEntry) =>
    change(
      () => session.api.removeListEntry(entry.id),
      (removed) => t('lists.removed', { value: removed.value, version: removed.version }),
    );

  return (
    <section aria-labelledby="lists-title" className="lists">
      <div className="page-head">
        <h1 id="lists-title">{t('lists.title')}</h1>
        <p className="muted">{t('lists.subtitle')}</p>
        {version !== null && <p>{t('lists.version', { version })}</p>}
      </div>
      {failure && (
        <p className="result error" role="alert">
          {failure}
        </p>
      )}
      <p className={`result ${result?.ok === false ? 'error' : 'ok'}`} role="status">
        {result?.text}
      </p>

      <form className="filters" aria-label={t('lists.filters')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('lists.kind')}
          <select value={filters.kind} onChange={(e) => filter({ kind: e.target.value as ListKind | '' })}>
            <option value="">{t('lists.allKinds')}</option>
            {LIST_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`listKind.${kind}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('lists.action')}
          <select value={filters.action} onChange={(e) => filter({ action: e.target.value as ListAction | '' })}>
            <option value="">{t('lists.allActions')}</option>
            {LIST_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {t(`listAction.${action}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            checked={filters.includeRemoved}
            onChange={(e) => filter({ includeRemoved: e.target.checked })}
          />
          {t('lists.includeRemoved')}
        </label>
      </form>

      {entries === null ? (
        !failure && <p className="loading">{t('lists.loading')}</p>
      ) : entries.length === 0 ? (
        <p className="muted">{t('lists.none')}</p>
      ) : (
        <table className="compact">
          <caption>{t('lists.tableCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('lists.kind')}</th>
              <th scope="col">{t('lists.value')}</th>
              <th scope="col">{t('lists.action')}</th>
              <th scope="col">{t('lists.reason')}</th>
              <th scope="col">{t('lists.author')}</th>
              <th scope="col">{t('lists.expires')}</th>
              <th scope="col">{t('lists.changed')}</th>
              {supervisor && <th scope="col">{t('lists.remove')}</th>}
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} className={entry.removedAt ? 'removed' : undefined}>
                <td>{t(`listKind.${entry.kind}`)}</td>
                <td>
                  <code>{entry.value}</code>
                </td>
                <td>
                  <span className={`badge action-${entry.action}`}>{t(`listAction.${entry.action}`)}</span>
                  {entry.removedAt && <span className="badge">{t('lists.removedBadge')}</span>}
                </td>
                <td>{entry.reason}</td>
                <td>{actorWords(words, entry.author)}</td>
                <td>
                  {entry.expiresAt ? (
                    <time dateTime={entry.expiresAt}>{format.instant(entry.expiresAt)}</time>
                  ) : (
                    t('lists.never')
                  )}
                </td>
                <td>
                  {t('lists.changedLine', {
                    version: entry.version,
                    who: actorWords(words, entry.updatedBy),
                    at: format.instant(entry.updatedAt),
                  })}
                </td>
                {supervisor && (
                  <td>
                    {!entry.removedAt && (
                      <button
                        type="button"
                        className="secondary"
                        disabled={busy}
                        aria-label={t('lists.removeEntry', { value: entry.value })}
                        onClick={() => void remove(entry)}
                      >
                        {t('lists.remove')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <button type="button" className="secondary" onClick={() => void load(filters, next)}>
          {t('lists.more')}
        </button>
      )}

      {supervisor && (
        <form className="panel list-form" aria-labelledby="list-add-title" onSubmit={(e) => void add(e)}>
          <h2 id="list-add-title">{t('lists.addTitle')}</h2>
          <label>
            {t('lists.kind')}
            <select name="kind" defaultValue="counterparty">
              {LIST_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`listKind.${kind}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('lists.value')}
            <input name="value" required maxLength={200} aria-describedby="list-value-hint" />
          </label>
          <p id="list-value-hint" className="muted">
            {t('lists.valueHint')}
          </p>
          <label>
            {t('lists.action')}
            <select name="action" defaultValue="block">
              {LIST_ACTIONS.map((action) => (
                <option key={action} value={action}>
                  {t(`listAction.${action}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('lists.reason')}
            <input name="reason" required maxLength={500} />
          </label>
          <label>
            {t('lists.expiresOptional')}
            <input name="expiresAt" type="datetime-local" />
          </label>
          <button type="submit" disabled={busy}>
            {t('lists.add')}
          </button>
        </form>
      )}

      <section aria-labelledby="list-audit-title" className="panel">
        <h2 id="list-audit-title">{t('lists.auditTitle')}</h2>
        {audit.length === 0 ? (
          <p className="muted">{t('lists.noAudit')}</p>
        ) : (
          <ol className="version-list">
            {audit.map((record) => (
              <li key={record.version}>
                {t('lists.auditLine', {
                  version: record.version,
                  at: format.instant(record.at),
                  who: actorWords(words, record.actor),
                  operation: t(`listOperation.${record.operation}`),
                  kind: t(`listKind.${record.after.kind}`),
                  value: record.after.value,
                })}
                {record.before && record.before.action !== record.after.action && (
                  <>
                    {' · '}
                    {t('lists.auditAction', {
                      from: t(`listAction.${record.before.action}`),
                      to: t(`listAction.${record.after.action}`),
                    })}
                  </>
                )}
                {record.operation !== 'removed' && (
                  <>
                    {' · '}
                    {t(`listAction.${record.after.action}`)}: {record.after.reason}
                  </>
                )}
                {record.note && <> · {record.note}</>}
              </li>
            ))}
          </ol>
        )}
      </section>
    </section>
  );
}
