// The desk report as CSV: pure, no I/O.
import type { DeskReport } from '@wallet-guard/contracts';

/** The columns of every row: one figure per row, so every section fits one table (RFC 4180 §2.4). */
const DESK_CSV_HEADER = ['section', 'key', 'subkey', 'metric', 'value'] as const;

type Cell = string | number | null;

/**
 * A text cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return
 * first: OWASP "CSV Injection") is prefixed with `'`, so it shows as the text it is. Numbers are
 * written as numbers and never prefixed.
 */
export function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One field per RFC 4180 §2.5-2.7: quoted when it holds a comma, a quote or a line break; quotes doubled. */
function field(cell: Cell): string {
  if (cell === null) return '';
  const text = typeof cell === 'number' ? String(cell) : neutralizeFormula(cell);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Records joined with CRLF (RFC 4180 §2.1), the header first, ending with a CRLF. */
export function toCsv(rows: readonly (readonly Cell[])[]): string {
  return `${[DESK_CSV_HEADER, ...rows].map((row) => row.map(field).join(',')).join('\r\n')}\r\n`;
}

/**
 * Every figure of the report as rows of `section, key, subkey, metric, value`:
 * - `period`: `from`, `to`, `generated_at` (ISO 8601) as metrics;
 * - `sla_attainment`: key ISO week, subkey priority, metrics `{first_response,resolution}_{met,missed,pending,attainment}`;
 * - `first_response_minutes`, `resolution_minutes`: key priority (or `all`), metrics `count`, `median`, `p90`;
 * - `backlog`: key age bucket, subkey priority (or `total`), metric `open_cases`;
 * - `cases`: key type, subkey outcome, metric `count`;
 * - `satisfaction`: key `overall`, `agent` or `case_type`, subkey the agent or type, metrics
 *   `count`, `average`, `rating_1`..`rating_5`;
 * - `agents`: key agent, metrics `open_assigned`, `resolved_in_period`.
 */
export function deskReportCsv(report: DeskReport): string {
  const rows: Cell[][] = [
    ['period', '', '', 'from', report.from],
    ['period', '', '', 'to', report.to],
    ['period', '', '', 'generated_at', report.generatedAt],
  ];
  for (const s of report.slaAttainment) {
    for (const sla of ['first_response', 'resolution'] as const) {
      const f = sla === 'first_response' ? s.firstResponse : s.resolution;
      rows.push(
        ['sla_attainment', s.week, s.priority, `${sla}_met`, f.met],
        ['sla_attainment', s.week, s.priority, `${sla}_missed`, f.missed],
        ['sla_attainment', s.week, s.priority, `${sla}_pending`, f.pending],
        ['sla_attainment', s.week, s.priority, `${sla}_attainment`, f.attainment],
      );
    }
  }
  for (const [section, figures] of [
    ['first_response_minutes', report.firstResponse],
    ['resolution_minutes', report.resolution],
  ] as const) {
    for (const f of figures) {
      rows.push(
        [section, f.priority, '', 'count', f.count],
        [section, f.priority, '', 'median', f.medianMinutes],
        [section, f.priority, '', 'p90', f.p90Minutes],
      );
    }
  }
  for (const b of report.backlog) {
    for (const p of ['P1', 'P2', 'P3', 'P4', 'total'] as const) rows.push(['backlog', b.age, p, 'open_cases', b[p]]);
  }
  for (const c of report.byTypeAndOutcome) rows.push(['cases', c.type, c.outcome, 'count', c.count]);
  const ratings = (key: string, subkey: string, f: DeskReport['satisfaction']['overall']) => {
    rows.push(['satisfaction', key, subkey, 'count', f.count], ['satisfaction', key, subkey, 'average', f.average]);
    for (const r of [1, 2, 3, 4, 5] as const)
      rows.push(['satisfaction', key, subkey, `rating_${r}`, f.distribution[r]]);
  };
  ratings('overall', '', report.satisfaction.overall);
  for (const a of report.satisfaction.byAgent) ratings('agent', a.agent ?? '', a);
  for (const t of report.satisfaction.byCaseType) ratings('case_type', t.caseType, t);
  for (const a of report.agents) {
    rows.push(
      ['agents', a.agent, '', 'open_assigned', a.openAssigned],
      ['agents', a.agent, '', 'resolved_in_period', a.resolvedInPeriod],
    );
  }
  return toCsv(rows);
}
