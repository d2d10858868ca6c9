// The supervisors' desk report: a period, charts, the figures as tables, and the CSV download.
import type { DeskReport } from '@wallet-guard/contracts';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api';
import { useWords } from '../i18n/use-words';
import type { Session } from '../session';
import { describeFailure } from '../words';
import { AttainmentChart, BacklogChart, DurationChart } from './report-charts';

const DAY_MS = 86_400_000;

interface Props {
  session: Session;
  onUnauthenticated: (reason: string) => void;
}

/** A `YYYY-MM-DD` day (UTC) as the date input holds it. */
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The period as the API takes it: from the start of the first day to the end of the last (UTC),
 * so "1 to 7 November" covers all of 7 November.
 */
function periodOf(fromDay: string, toDay: string): { from: string; to: string } {
  return {
    from: `${fromDay}T00:00:00.000Z`,
    to: new Date(Date.parse(`${toDay}T00:00:00.000Z`) + DAY_MS).toISOString(),
  };
}

export function ReportsPage({ session, onUnauthenticated }: Props) {
  const words = useWords();
  const { t } = words;
  const [days, setDays] = useState(() => ({ from: day(Date.now() - 29 * DAY_MS), to: day(Date.now()) }));
  const [report, setReport] = useState<DeskReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    async (from: string, to: string) => {
      setBusy(true);
      setFailure(null);
      try {
        setReport(await session.api.deskReport(periodOf(from, to)));
      } catch (error) {
        if (error instanceof ApiError && error.code === 'CASE_UNAUTHENTICATED')
          onUnauthenticated(t('app.sessionEnded'));
        else setFailure(t('reports.loadFailed', { failure: describeFailure(words, error) }));
      } finally {
        setBusy(false);
      }
    },
    [session, onUnauthenticated, t, words],
  );

  // The first period loads once, on opening; later ones on submit.
  useEffect(() => {
    void load(days.from, days.to);
  }, []);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = { from: String(form.get('from')), to: String(form.get('to')) };
    setDays(next);
    void load(next.from, next.to);
  };

  const download = async () => {
    setFailure(null);
    try {
      const csv = await session.api.deskReportCsv(periodOf(days.from, days.to));
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      link.download = `desk-report-${days.from}-${days.to}.csv`;
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (error) {
      setFailure(t('reports.loadFailed', { failure: describeFailure(words, error) }));
    }
  };

  return (
    <section aria-labelledby="reports-title" className="reports">
      <div className="page-head">
        <h1 id="reports-title">{t('reports.title')}</h1>
        <p className="muted">{t('reports.subtitle')}</p>
      </div>
      <form className="report-period" aria-label={t('reports.period')} onSubmit={submit}>
        <label>
          {t('reports.from')}
          <input type="date" name="from" required defaultValue={days.from} />
        </label>
        <label>
          {t('reports.to')}
          <input type="date" name="to" required defaultValue={days.to} />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? t('reports.loading') : t('reports.show')}
        </button>
        <button type="button" className="secondary" onClick={download} disabled={!report}>
          {t('reports.downloadCsv')}
        </button>
      </form>
      {failure && (
        <p className="result error" role="alert">
          {failure}
        </p>
      )}
      {report ? <ReportBody report={report} /> : !failure && <p className="loading">{t('reports.loading')}</p>}
    </section>
  );
}

function ReportBody({ report }: { report: DeskReport }) {
  const { t, format } = useWords();
  const percent = (a: number | null) => (a === null ? '—' : `${Math.round(a * 1000) / 10} %`);
  const minutes = (m: number | null) => (m === null ? '—' : t('reports.minutesValue', { value: m }));
  return (
    <>
      <p className="muted">
        {t('reports.generated', { at: format.instant(report.generatedAt) })} · {t('reports.wallClock')}
      </p>

      <h2>{t('reports.attainment.title')}</h2>
      <div className="chart-row">
        <AttainmentChart report={report} sla="firstResponse" />
        <AttainmentChart report={report} sla="resolution" />
      </div>
      <table className="report-table" aria-label={t('reports.attainment.title')}>
        <thead>
          <tr>
            <th scope="col">{t('reports.week')}</th>
            <th scope="col">{t('queue.column.priority')}</th>
            <th scope="col">{t('reports.attainment.firstResponse')}</th>
            <th scope="col">{t('reports.attainment.resolution')}</th>
          </tr>
        </thead>
        <tbody>
          {report.slaAttainment.map((r) => (
            <tr key={`${r.week}-${r.priority}`}>
              <td>{r.week}</td>
              <td>{t(`priority.${r.priority}`)}</td>
              <td>
                {percent(r.firstResponse.attainment)}{' '}
                <span className="muted">{t('reports.metMissedPending', r.firstResponse)}</span>
              </td>
              <td>
                {percent(r.resolution.attainment)}{' '}
                <span className="muted">{t('reports.metMissedPending', r.resolution)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t('reports.durations.title')}</h2>
      <div className="chart-row">
        <DurationChart figures={report.firstResponse} which="firstResponse" />
        <DurationChart figures={report.resolution} which="resolution" />
      </div>
      <table className="report-table" aria-label={t('reports.durations.title')}>
        <thead>
          <tr>
            <th scope="col">{t('queue.column.priority')}</th>
            <th scope="col">{t('reports.durations.firstResponse')}</th>
            <th scope="col">{t('reports.durations.resolution')}</th>
          </tr>
        </thead>
        <tbody>
          {report.firstResponse.map((f, i) => {
            const r = report.resolution[i];
            const label = f.priority === 'all' ? t('reports.allPriorities') : t(`priority.${f.priority}`);
            const cell = (x: DeskReport['firstResponse'][number] | undefined) =>
              x && x.count > 0
                ? t('reports.medianP90', {
                    count: x.count,
                    median: minutes(x.medianMinutes),
                    p90: minutes(x.p90Minutes),
                  })
                : '—';
            return (
              <tr key={f.priority}>
                <td>{label}</td>
                <td>{cell(f)}</td>
                <td>{cell(r)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <h2>{t('reports.backlog.title')}</h2>
      <BacklogChart report={report} />

      <div className="report-columns">
        <section aria-labelledby="report-outcomes">
          <h2 id="report-outcomes">{t('reports.outcomes.title')}</h2>
          <table className="report-table">
            <thead>
              <tr>
                <th scope="col">{t('queue.column.type')}</th>
                <th scope="col">{t('reports.outcomes.ending')}</th>
                <th scope="col">{t('reports.cases')}</th>
              </tr>
            </thead>
            <tbody>
              {report.byTypeAndOutcome.map((r) => (
                <tr key={`${r.type}-${r.outcome}`}>
                  <td>{t(`caseType.${r.type}`)}</td>
                  <td>{t(`reports.ending.${r.outcome}`)}</td>
                  <td>{r.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>

        <section aria-labelledby="report-agents">
          <h2 id="report-agents">{t('reports.agents.title')}</h2>
          <table className="report-table">
            <thead>
              <tr>
                <th scope="col">{t('reports.agents.agent')}</th>
                <th scope="col">{t('reports.agents.openAssigned')}</th>
                <th scope="col">{t('reports.agents.resolved')}</th>
              </tr>
            </thead>
            <tbody>
              {report.agents.map((a) => (
                <tr key={a.agent}>
                  <td>{a.agent}</td>
                  <td>{a.openAssigned}</td>
                  <td>{a.resolvedInPeriod}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>

        <section aria-labelledby="report-satisfaction">
          <h2 id="report-satisfaction">{t('reports.satisfaction.title')}</h2>
          <p>
            {report.satisfaction.overall.count === 0
              ? t('reports.satisfaction.none')
              : t('reports.satisfaction.overall', {
                  count: report.satisfaction.overall.count,
                  average: report.satisfaction.overall.average,
                })}
          </p>
        </section>
      </div>
    </>
  );
}
