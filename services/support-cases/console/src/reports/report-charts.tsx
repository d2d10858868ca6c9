// The report's charts (chart.js through react-chartjs-2, canvas): each one an image with a label
// for screen readers; the tables beside them carry every figure in text.
import type { DeskReport } from '@wallet-guard/contracts';
import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Title, Tooltip } from 'chart.js';
import { Bar } from 'react-chartjs-2';
import { useWords } from '../i18n/use-words';

// Only what these bar charts draw (chart.js tree-shakes the rest).
ChartJS.register(CategoryScale, LinearScale, BarElement, Tooltip, Legend, Title);

const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
/** One colour per priority, the badges' (styles.css `--p1`..`--p4`: red, orange, amber, grey). */
const PRIORITY_COLOURS: Record<(typeof PRIORITIES)[number], string> = {
  P1: '#b42318',
  P2: '#c4320a',
  P3: '#f0b429',
  P4: '#667085',
};

// Still images: no animation (screenshots and tests see the final chart at once).
const base = { responsive: true, maintainAspectRatio: false, animation: false } as const;

/** SLA attainment (per cent) per ISO week, one bar per priority, for one SLA. */
export function AttainmentChart({ report, sla }: { report: DeskReport; sla: 'firstResponse' | 'resolution' }) {
  const { t, locale } = useWords();
  const weeks = [...new Set(report.slaAttainment.map((r) => r.week))];
  const title = t(`reports.attainment.${sla}`);
  const data = {
    labels: weeks,
    datasets: PRIORITIES.map((p) => ({
      label: t(`priority.${p}`),
      backgroundColor: PRIORITY_COLOURS[p],
      data: weeks.map((week) => {
        const a = report.slaAttainment.find((r) => r.week === week && r.priority === p)?.[sla].attainment;
        return a == null ? null : Math.round(a * 1000) / 10;
      }),
    })),
  };
  return (
    <div className="chart">
      <Bar
        role="img"
        aria-label={title}
        data={data}
        options={{
          ...base,
          locale,
          plugins: { title: { display: true, text: title } },
          scales: { y: { min: 0, max: 100, title: { display: true, text: t('reports.percent') } } },
        }}
      />
    </div>
  );
}

/** Open cases by age, stacked by priority. */
export function BacklogChart({ report }: { report: DeskReport }) {
  const { t, locale } = useWords();
  const title = t('reports.backlog.title');
  const data = {
    labels: report.backlog.map((b) => t(`reports.age.${b.age}`)),
    datasets: PRIORITIES.map((p) => ({
      label: t(`priority.${p}`),
      backgroundColor: PRIORITY_COLOURS[p],
      data: report.backlog.map((b) => b[p]),
    })),
  };
  return (
    <div className="chart">
      <Bar
        role="img"
        aria-label={title}
        data={data}
        options={{
          ...base,
          locale,
          plugins: { title: { display: true, text: title } },
          scales: {
            x: { stacked: true },
            y: {
              stacked: true,
              beginAtZero: true,
              ticks: { precision: 0 },
              title: { display: true, text: t('reports.cases') },
            },
          },
        }}
      />
    </div>
  );
}

/** Median and p90 minutes per priority, for the first response or the resolution. */
export function DurationChart({
  figures,
  which,
}: {
  figures: DeskReport['firstResponse'];
  which: 'firstResponse' | 'resolution';
}) {
  const { t, locale } = useWords();
  const title = t(`reports.durations.${which}`);
  const rows = figures.filter((f) => f.priority !== 'all');
  const data = {
    labels: rows.map((f) => t(`priority.${f.priority}`)),
    datasets: [
      { label: t('reports.durations.median'), backgroundColor: '#175cd3', data: rows.map((f) => f.medianMinutes) },
      { label: t('reports.durations.p90'), backgroundColor: '#98a2b3', data: rows.map((f) => f.p90Minutes) },
    ],
  };
  return (
    <div className="chart">
      <Bar
        role="img"
        aria-label={title}
        data={data}
        options={{
          ...base,
          locale,
          plugins: { title: { display: true, text: title } },
          scales: { y: { beginAtZero: true, title: { display: true, text: t('reports.minutes') } } },
        }}
      />
    </div>
  );
}
