import type { BacktestReport } from '@wallet-guard/contracts';

const percent = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(1)}%`);

/** Columns padded to their widest cell; numbers right-aligned. */
function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r, line) =>
      r
        .map((c, i) => (i === 0 || line === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The report as plain-text tables for a terminal. */
export function renderBacktestReport(report: BacktestReport): string {
  const o = report.overall;
  const lines = [
    `Backtest of rules ${report.rulesVersion} over ${report.from} .. ${report.to} (event time)`,
    `live rules: ${report.liveRulesVersions.join(', ') || '(no flags in the period)'}`,
    `transactions: ${report.transactions} in ${report.accounts} accounts, ${report.warmUpTransactions} earlier ones replayed to rebuild profiles`,
  ];
  if (report.accountsWithPartialHistory > 0) {
    lines.push(
      `warning: ${report.accountsWithPartialHistory} accounts have history older than what is stored (MONITOR_RETENTION_DAYS): their profiles may differ from live`,
    );
  }
  lines.push(
    '',
    table(
      ['', 'allow', 'review', 'suspected_theft', 'precision', 'recall'],
      [
        [
          'live',
          o.liveDecisions.allow,
          o.liveDecisions.review,
          o.liveDecisions.suspected_theft,
          percent(o.livePrecision),
          percent(o.liveRecall),
        ],
        [
          'candidate',
          o.decisions.allow,
          o.decisions.review,
          o.decisions.suspected_theft,
          percent(o.precision),
          percent(o.recall),
        ],
      ],
    ),
    '',
    `decisions changed: ${o.changed} (scores changed: ${o.scoresChanged}); labels: ${o.confirmedFraud} confirmed fraud, ${o.falsePositive} false positives among the candidate's raised`,
    '',
    table(
      ['rule', 'mode', 'hits', 'live hits', 'changed', 'fraud', 'false pos.', 'precision', 'recall'],
      report.rules.map((r) => [
        r.rule,
        r.mode,
        r.hits,
        r.liveHits,
        r.changed,
        r.confirmedFraud,
        r.falsePositive,
        percent(r.precision),
        percent(r.recall),
      ]),
    ),
  );
  if (report.changes.length > 0) {
    lines.push(
      '',
      `changed decisions${report.changesTruncated ? ` (first ${report.changes.length} of ${o.changed})` : ''}:`,
      table(
        ['transaction', 'account', 'occurred at', 'live', 'candidate', 'label'],
        report.changes.map((c) => [
          c.transactionId,
          c.accountId,
          c.occurredAt,
          `${c.liveDecision} (${c.liveScore})`,
          `${c.decision} (${c.score})`,
          c.label ?? '-',
        ]),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
