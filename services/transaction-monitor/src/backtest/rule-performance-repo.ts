import type { RulePerformanceQuery, RulePerformanceReport } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { type Kysely, sql } from 'kysely';
import { RULE_NAMES } from '../scoring/rules-file';
import { OWNER_CONFIRMED } from '../scoring/score';

const DAY_MS = 86_400_000;

/** The first day (UTC) of the bucket holding `at`: the day itself, or the Monday of its ISO week. */
function bucketStart(at: number, bucket: RulePerformanceQuery['bucket']): number {
  const day = Math.floor(at / DAY_MS) * DAY_MS;
  if (bucket === 'day') return day;
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0
  return day - weekday * DAY_MS;
}

/** Every bucket touching `[from, to)`, as `YYYY-MM-DD`. */
function bucketsOf(from: Date, to: Date, bucket: RulePerformanceQuery['bucket']): string[] {
  const step = bucket === 'day' ? DAY_MS : 7 * DAY_MS;
  const out: string[] = [];
  for (let at = bucketStart(from.getTime(), bucket); at < to.getTime(); at += step) {
    out.push(new Date(at).toISOString().slice(0, 10));
  }
  return out;
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

/**
 * Per rule and bucket (flags by event time, UTC): flags the rule contributed to, and how many of
 * them agents labelled confirmed fraud or false positive (the latest label of each flag). Every
 * rule of the rules file is listed, and any other a flag of the period names (a retired rule).
 */
export async function rulePerformance(
  db: Kysely<Database>,
  query: RulePerformanceQuery,
): Promise<RulePerformanceReport> {
  const from = new Date(query.from);
  const to = new Date(query.to);
  const unit = query.bucket === 'day' ? 'day' : 'week';
  const { rows } = await sql<{ rule: string; bucket: string; hits: string; fraud: string; fp: string }>`
    select r.value->>'rule' as rule,
      to_char(date_trunc(${unit}, f.occurred_at at time zone 'UTC'), 'YYYY-MM-DD') as bucket,
      count(*)::text as hits,
      count(*) filter (where l.label = 'confirmed_fraud')::text as fraud,
      count(*) filter (where l.label = 'false_positive')::text as fp
    from monitor_flags f
    cross join lateral jsonb_array_elements(f.reasons) as r(value)
    left join lateral (
      select fb.label from monitor_flag_feedback fb where fb.flag_id = f.id order by fb.created_at desc limit 1
    ) l on true
    where f.occurred_at >= ${from} and f.occurred_at < ${to} and r.value->>'rule' <> ${OWNER_CONFIRMED}
    group by 1, 2`.execute(db);
  const buckets = bucketsOf(from, to, query.bucket);
  const names: string[] = [...RULE_NAMES];
  for (const row of rows) if (!names.includes(row.rule)) names.push(row.rule);
  const byKey = new Map(rows.map((r) => [`${r.rule} ${r.bucket}`, r]));
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucket: query.bucket,
    buckets,
    rules: names.map((rule) => {
      const points = buckets.map((bucket) => {
        const row = byKey.get(`${rule} ${bucket}`);
        const hits = Number(row?.hits ?? 0);
        const confirmedFraud = Number(row?.fraud ?? 0);
        const falsePositive = Number(row?.fp ?? 0);
        return {
          bucket,
          hits,
          confirmedFraud,
          falsePositive,
          precision: ratio(confirmedFraud, confirmedFraud + falsePositive),
        };
      });
      const hits = points.reduce((s, p) => s + p.hits, 0);
      const confirmedFraud = points.reduce((s, p) => s + p.confirmedFraud, 0);
      const falsePositive = points.reduce((s, p) => s + p.falsePositive, 0);
      return {
        rule,
        total: {
          hits,
          confirmedFraud,
          falsePositive,
          precision: ratio(confirmedFraud, confirmedFraud + falsePositive),
        },
        points,
      };
    }),
  };
}
