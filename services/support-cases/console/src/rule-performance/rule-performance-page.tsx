// Rule performance for supervisors: each monitor rule's hits and the agents' labels over time (a
// chart and the same figures as tables), and a backtest of a candidate rules document.
import type { RulePerformanceReport } from '@wallet-guard/contracts';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api';
import { useWords } from '../i18n/use-words';
import type { Session } from '../session';
import { describeFailure, ruleWords } from '../words';
import { BacktestPanel } from './backtest-panel';
import { dayOf, percent, periodOf } from './period';
import { RulePerformanceChart } from './rule-performance-chart';

const DAY_MS = 86_400_000;

interface Props {
  session: Session;
  onUnauthenticated: (reason: string) => void;
}

export function RulePerformancePage({ session, onUnauthenticated }: Props) {
  const words = useWords();
  const { t } = words;
  const [query, setQuery] = useState(() => ({
    from: dayOf(Date.now() - 83 * DAY_MS),
    to: dayOf(Date.now()),
    bucket: 'week' as 'week' | 'day',
  }));
  const [report, setReport] = useState<RulePerformanceReport | null>(null);
  const [rule, setRule] = useState<string>('');
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const fail = useCallback(
    (error: unknown, sentence: 'rulePerformance.loadFailed' | 'rulePerformance.backtest.failed') => {
      if (error instanceof ApiError && error.code === 'CASE_UNAUTHENTICATED') onUnauthenticated(t('app.sessionEnded'));
      else return t(sentence, { failure: describeFailure(words, error) });
      return null;
    },
    [onUnauthenticated, t, words],
  );

  const load = useCallback(
    async (next: typeof query) => {
      setBusy(true);
      setFailure(null);
      try {
        const loaded = await session.api.rulePerformance({ ...periodOf(next.from, next.to), bucket: next.bucket });
        setReport(loaded);
        // Show the rule with the most hits unless the supervisor picked one.
        setRule((current) =>
          current && loaded.rules.some((r) => r.rule === current)
            ? current
            : ([...loaded.rules].sort((a, b) => b.total.hits - a.total.hits)[0]?.rule ?? ''),
        );
      } catch (error) {
        setFailure(fail(error, 'rulePerformance.loadFailed'));
      } finally {
        setBusy(false);
      }
    },
    [session, fail],
  );

  // The first period loads once, on opening; later ones on submit.
  useEffect(() => {
    void load(query);
  }, []);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = {
      from: String(form.get('from')),
      to: String(form.get('to')),
      bucket: form.get('bucket') === 'day' ? ('day' as const) : ('week' as const),
    };
    setQuery(next);
    void load(next);
  };

  const selected = report?.rules.find((r) => r.rule === rule) ?? null;
  const chartTitle = selected ? t('rulePerformance.chartTitle', { rule: ruleWords(words, selected.rule) }) : '';

  return (
    <section aria-labelledby="rule-performance-title" className="reports">
      <div className="page-head">
        <h1 id="rule-performance-title">{t('rulePerformance.title')}</h1>
        <p className="muted">{t('rulePerformance.subtitle')}</p>
      </div>
      <form className="report-period" aria-label={t('rulePerformance.period')} onSubmit={submit}>
        <label>
          {t('reports.from')}
          <input type="date" name="from" required defaultValue={query.from} />
        </label>
        <label>
          {t('reports.to')}
          <input type="date" name="to" required defaultValue={query.to} />
        </label>
        <label>
          {t('rulePerformance.bucket')}
          <select name="bucket" defaultValue={query.bucket}>
            <option value="week">{t('rulePerformance.byWeek')}</option>
            <option value="day">{t('rulePerformance.byDay')}</option>
          </select>
        </label>
        <button type="submit" disabled={busy}>
          {busy ? t('reports.loading') : t('reports.show')}
        </button>
      </form>
      {failure && (
        <p className="result error" role="alert">
          {failure}
        </p>
      )}
      {report ? (
        <>
          <table className="report-table" aria-label={t('rulePerformance.totals')}>
            <caption>{t('rulePerformance.totals')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('rulePerformance.column.rule')}</th>
                <th scope="col">{t('rulePerformance.column.hits')}</th>
                <th scope="col">{t('rulePerformance.column.confirmedFraud')}</th>
                <th scope="col">{t('rulePerformance.column.falsePositive')}</th>
                <th scope="col">{t('rulePerformance.column.precision')}</th>
              </tr>
            </thead>
            <tbody>
              {report.rules.map((r) => (
                <tr key={r.rule}>
                  <th scope="row">{ruleWords(words, r.rule)}</th>
                  <td>{r.total.hits}</td>
                  <td>{r.total.confirmedFraud}</td>
                  <td>{r.total.falsePositive}</td>
                  <td>{percent(r.total.precision)}</td>
                </tr>
              ))}
            </tbody>
          </table>

          <h2>{t('rulePerformance.overTime')}</h2>
          {/* Labelled by id, not by wrapping: a wrapped select's name would include the chosen rule. */}
          <p className="rule-picker">
            <label htmlFor="rule-performance-rule">{t('rulePerformance.rule')}</label>{' '}
            <select id="rule-performance-rule" value={rule} onChange={(e) => setRule(e.target.value)}>
              {report.rules.map((r) => (
                <option key={r.rule} value={r.rule}>
                  {ruleWords(words, r.rule)}
                </option>
              ))}
            </select>
          </p>
          {selected && (
            <>
              <RulePerformanceChart row={selected} title={chartTitle} />
              <table className="report-table" aria-label={chartTitle}>
                <caption>{t('rulePerformance.chartAlternative', { rule: ruleWords(words, selected.rule) })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t(report.bucket === 'day' ? 'rulePerformance.day' : 'rulePerformance.weekOf')}</th>
                    <th scope="col">{t('rulePerformance.column.hits')}</th>
                    <th scope="col">{t('rulePerformance.column.confirmedFraud')}</th>
                    <th scope="col">{t('rulePerformance.column.falsePositive')}</th>
                    <th scope="col">{t('rulePerformance.column.precision')}</th>
                  </tr>
                </thead>
                <tbody>
                  {selected.points.map((p) => (
                    <tr key={p.bucket}>
                      <th scope="row">{p.bucket}</th>
                      <td>{p.hits}</td>
                      <td>{p.confirmedFraud}</td>
                      <td>{p.falsePositive}</td>
                      <td>{percent(p.precision)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </>
      ) : (
        !failure && <p className="loading">{t('reports.loading')}</p>
      )}

      <BacktestPanel session={session} onFailure={(error) => fail(error, 'rulePerformance.backtest.failed')} />
    </section>
  );
}
