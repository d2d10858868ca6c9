// One rule's hits, confirmed fraud and false positives per day or week (chart.js through
// react-chartjs-2, bars): an image with a label for screen readers; the table beside it carries
// every figure in text.
import type { RulePerformanceReport } from '@wallet-guard/contracts';
import { Bar } from 'react-chartjs-2';
import { useWords } from '../i18n/use-words';
// The desk report registers the bar chart's parts with chart.js once (scales, bars, legend,
// tooltip, title): this chart draws with the same ones.
import '../reports/report-charts';

type RuleRow = RulePerformanceReport['rules'][number];

/** Hits in blue, confirmed fraud in the P1 red, false positives in grey (styles.css colours). */
const COLOURS = { hits: '#175cd3', confirmedFraud: '#b42318', falsePositive: '#98a2b3' } as const;

export function RulePerformanceChart({ row, title }: { row: RuleRow; title: string }) {
  const { t, locale } = useWords();
  const data = {
    labels: row.points.map((p) => p.bucket),
    datasets: (['hits', 'confirmedFraud', 'falsePositive'] as const).map((key) => ({
      label: t(`rulePerformance.column.${key}`),
      backgroundColor: COLOURS[key],
      data: row.points.map((p) => p[key]),
    })),
  };
  return (
    <div className="chart">
      <Bar
        role="img"
        aria-label={title}
        data={data}
        options={{
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          locale,
          plugins: { title: { display: true, text: title } },
          scales: {
            y: {
              beginAtZero: true,
              ticks: { precision: 0 },
              title: { display: true, text: t('rulePerformance.flags') },
            },
          },
        }}
      />
    </div>
  );
}
