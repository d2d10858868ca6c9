// The backtest form: a candidate rules document (pasted or read from a file) and a period; the
// monitor replays the period's stored traffic through it and the result shows as tables.
import type { BacktestReport } from '@wallet-guard/contracts';
import { type ChangeEvent, type FormEvent, useState } from 'react';
import { useWords } from '../i18n/use-words';
import type { Session } from '../session';
import { decisionWords, ruleWords } from '../words';
import { dayOf, percent, periodOf } from './period';

const DAY_MS = 86_400_000;

interface Props {
  session: Session;
  /** The failure in words, or null when the session ended (the page signs out). */
  onFailure: (error: unknown) => string | null;
}

export function BacktestPanel({ session, onFailure }: Props) {
  const words = useWords();
  const { t } = words;
  const [rules, setRules] = useState('');
  const [report, setReport] = useState<BacktestReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const readFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    if (file) setRules(await file.text());
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setFailure(null);
    setReport(null);
    try {
      setReport(
        await session.api.runBacktest({ rules, ...periodOf(String(form.get('from')), String(form.get('to'))) }),
      );
    } catch (error) {
      setFailure(onFailure(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="backtest-title" className="backtest">
      <h2 id="backtest-title">{t('rulePerformance.backtest.title')}</h2>
      <p className="muted">{t('rulePerformance.backtest.explain')}</p>
      <form aria-label={t('rulePerformance.backtest.form')} onSubmit={submit}>
        <label>
          {t('rulePerformance.backtest.rules')}
          <textarea
            name="rules"
            rows={10}
            required
            spellCheck={false}
            value={rules}
            onChange={(e) => setRules(e.target.value)}
          />
        </label>
        <label>
          {t('rulePerformance.backtest.file')}
          <input type="file" accept=".yaml,.yml,.json,text/yaml,application/json" onChange={readFile} />
        </label>
        <div className="report-period">
          <label>
            {t('reports.from')}
            <input type="date" name="from" required defaultValue={dayOf(Date.now() - 6 * DAY_MS)} />
          </label>
          <label>
            {t('reports.to')}
            <input type="date" name="to" required defaultValue={dayOf(Date.now())} />
          </label>
          <button type="submit" disabled={busy}>
            {busy ? t('rulePerformance.backtest.running') : t('rulePerformance.backtest.run')}
          </button>
        </div>
      </form>
      {failure && (
        <p className="result error" role="alert">
          {failure}
        </p>
      )}
      {report && <BacktestResult report={report} />}
    </section>
  );
}

function BacktestResult({ report }: { report: BacktestReport }) {
  const words = useWords();
  const { t } = words;
  const o = report.overall;
  return (
    <section aria-label={t('rulePerformance.backtest.result')}>
      <p role="status">
        {t('rulePerformance.backtest.summary', {
          version: report.rulesVersion,
          count: report.transactions,
          accounts: report.accounts,
          changed: o.changed,
        })}
      </p>
      {report.accountsWithPartialHistory > 0 && (
        <p className="muted">{t('rulePerformance.backtest.partial', { count: report.accountsWithPartialHistory })}</p>
      )}
      <table className="report-table" aria-label={t('rulePerformance.backtest.overall')}>
        <caption>{t('rulePerformance.backtest.overall')}</caption>
        <thead>
          <tr>
            <th scope="col" />
            {(['allow', 'review', 'suspected_theft'] as const).map((d) => (
              <th scope="col" key={d}>
                {decisionWords(words, d)}
              </th>
            ))}
            <th scope="col">{t('rulePerformance.column.precision')}</th>
            <th scope="col">{t('rulePerformance.column.recall')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t('rulePerformance.backtest.live')}</th>
            <td>{o.liveDecisions.allow}</td>
            <td>{o.liveDecisions.review}</td>
            <td>{o.liveDecisions.suspected_theft}</td>
            <td>{percent(o.livePrecision)}</td>
            <td>{percent(o.liveRecall)}</td>
          </tr>
          <tr>
            <th scope="row">{t('rulePerformance.backtest.candidate')}</th>
            <td>{o.decisions.allow}</td>
            <td>{o.decisions.review}</td>
            <td>{o.decisions.suspected_theft}</td>
            <td>{percent(o.precision)}</td>
            <td>{percent(o.recall)}</td>
          </tr>
        </tbody>
      </table>
      <table className="report-table" aria-label={t('rulePerformance.backtest.perRule')}>
        <caption>{t('rulePerformance.backtest.perRule')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('rulePerformance.column.rule')}</th>
            <th scope="col">{t('rulePerformance.column.hits')}</th>
            <th scope="col">{t('rulePerformance.column.liveHits')}</th>
            <th scope="col">{t('rulePerformance.column.changed')}</th>
            <th scope="col">{t('rulePerformance.column.confirmedFraud')}</th>
            <th scope="col">{t('rulePerformance.column.falsePositive')}</th>
            <th scope="col">{t('rulePerformance.column.precision')}</th>
            <th scope="col">{t('rulePerformance.column.recall')}</th>
          </tr>
        </thead>
        <tbody>
          {report.rules.map((r) => (
            <tr key={r.rule}>
              <th scope="row">
                {ruleWords(words, r.rule)} {r.mode !== 'live' && <span className="muted">({r.mode})</span>}
              </th>
              <td>{r.hits}</td>
              <td>{r.liveHits}</td>
              <td>{r.changed}</td>
              <td>{r.confirmedFraud}</td>
              <td>{r.falsePositive}</td>
              <td>{percent(r.precision)}</td>
              <td>{percent(r.recall)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.changes.length > 0 && (
        <table className="report-table" aria-label={t('rulePerformance.backtest.changes')}>
          <caption>
            {report.changesTruncated
              ? t('rulePerformance.backtest.changesFirst', { shown: report.changes.length, count: o.changed })
              : t('rulePerformance.backtest.changes')}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('rulePerformance.column.transaction')}</th>
              <th scope="col">{t('rulePerformance.column.occurredAt')}</th>
              <th scope="col">{t('rulePerformance.backtest.live')}</th>
              <th scope="col">{t('rulePerformance.backtest.candidate')}</th>
              <th scope="col">{t('rulePerformance.column.label')}</th>
            </tr>
          </thead>
          <tbody>
            {report.changes.map((c) => (
              <tr key={c.transactionId}>
                <th scope="row">{c.transactionId}</th>
                <td>{words.format.instant(c.occurredAt)}</td>
                <td>{`${decisionWords(words, c.liveDecision)} (${c.liveScore})`}</td>
                <td>{`${decisionWords(words, c.decision)} (${c.score})`}</td>
                <td>{c.label ? t(`rulePerformance.label.${c.label}`) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
