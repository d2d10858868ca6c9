// The supervisors' desk report: every figure counted by Postgres over the period's rows.
import { BACKLOG_AGE_BUCKETS, CASE_PRIORITIES, type DeskReport } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { type Kysely, sql } from 'kysely';
import type { CasePriority } from '../cases/case-rules';
import { ratingFigures } from '../satisfaction/satisfaction-store';
import type { ReportPeriod } from './report-period';

type Db = Kysely<Database>;
type Count = string | number;

const round = (value: string | number | null, decimals: number): number | null =>
  value === null ? null : Math.round(Number(value) * 10 ** decimals) / 10 ** decimals;

const attainment = (met: number, missed: number) => (met + missed === 0 ? null : round(met / (met + missed), 4));

/**
 * SLA outcomes of the cases opened in the period, per ISO week of the opening (UTC) and priority,
 * as of `now`. A first response is met when given by its deadline, or when the case was resolved
 * (or closed) by then without one (the self-unlocks); missed when given late, or when the deadline
 * passed before the case ended or `now` with the clocks running; else pending (a paused case's
 * deadline moves when the pause ends). The resolution likewise. Merged duplicates are left out:
 * their survivor carries their SLA.
 */
async function slaAttainment(db: Db, period: ReportPeriod, now: Date): Promise<DeskReport['slaAttainment']> {
  const { rows } = await sql<{
    week: string;
    priority: CasePriority;
    fr_met: Count;
    fr_missed: Count;
    fr_total: Count;
    res_met: Count;
    res_missed: Count;
    res_total: Count;
  }>`
    with period_cases as (
      select *, to_char(opened_at at time zone 'UTC', 'IYYY-"W"IW') as week,
             coalesce(resolved_at, closed_at) as ended_at
      from cases
      where opened_at >= ${period.from} and opened_at < ${period.to} and merged_into is null
    )
    select week, priority,
      count(*) filter (where first_responded_at <= first_response_due_at
        or (first_responded_at is null and ended_at <= first_response_due_at)) as fr_met,
      count(*) filter (where first_responded_at > first_response_due_at
        or (first_responded_at is null
            and coalesce(ended_at, case when sla_paused_at is null then ${now}::timestamptz end) > first_response_due_at))
        as fr_missed,
      count(*) as fr_total,
      count(*) filter (where resolved_at <= resolution_due_at) as res_met,
      count(*) filter (where resolved_at > resolution_due_at
        or (resolved_at is null and sla_paused_at is null and ${now}::timestamptz > resolution_due_at)) as res_missed,
      count(*) as res_total
    from period_cases
    group by week, priority
    order by week, priority`.execute(db);
  const figures = (met: Count, missed: Count, total: Count) => ({
    met: Number(met),
    missed: Number(missed),
    pending: Number(total) - Number(met) - Number(missed),
    attainment: attainment(Number(met), Number(missed)),
  });
  return rows.map((r) => ({
    week: r.week,
    priority: r.priority,
    firstResponse: figures(r.fr_met, r.fr_missed, r.fr_total),
    resolution: figures(r.res_met, r.res_missed, r.res_total),
  }));
}

/**
 * Median and p90 (continuous percentiles) of `minutes` per priority and for all (`rollup`), in
 * wall-clock minutes, one decimal. Every priority appears, with count 0 and nulls when it had none.
 */
async function durations(
  db: Db,
  which: 'first_response' | 'resolution',
  period: ReportPeriod,
): Promise<DeskReport['firstResponse']> {
  const query =
    which === 'first_response'
      ? sql<{ priority: CasePriority | null; count: Count; median: string | null; p90: string | null }>`
          select priority, count(*) as count,
            percentile_cont(0.5) within group (order by extract(epoch from first_responded_at - opened_at) / 60) as median,
            percentile_cont(0.9) within group (order by extract(epoch from first_responded_at - opened_at) / 60) as p90
          from cases
          where opened_at >= ${period.from} and opened_at < ${period.to}
            and first_responded_at is not null and merged_into is null
          group by rollup (priority)`
      : sql<{ priority: CasePriority | null; count: Count; median: string | null; p90: string | null }>`
          select priority, count(*) as count,
            percentile_cont(0.5) within group (order by extract(epoch from resolved_at - opened_at) / 60) as median,
            percentile_cont(0.9) within group (order by extract(epoch from resolved_at - opened_at) / 60) as p90
          from cases
          where resolved_at >= ${period.from} and resolved_at < ${period.to}
          group by rollup (priority)`;
  const { rows } = await query.execute(db);
  const of = (priority: CasePriority | null) => rows.find((r) => r.priority === priority);
  return [...CASE_PRIORITIES, null].map((priority) => {
    const row = of(priority);
    return {
      priority: priority ?? 'all',
      count: Number(row?.count ?? 0),
      medianMinutes: round(row?.median ?? null, 1),
      p90Minutes: round(row?.p90 ?? null, 1),
    };
  });
}

/** Cases open at `now` by age since opening, per priority; every bucket appears. */
async function backlog(db: Db, now: Date): Promise<DeskReport['backlog']> {
  const { rows } = await sql<{ age: (typeof BACKLOG_AGE_BUCKETS)[number]; priority: CasePriority; count: Count }>`
    select case
        when age < interval '1 hour' then '0-1h'
        when age < interval '4 hours' then '1-4h'
        when age < interval '24 hours' then '4-24h'
        when age < interval '3 days' then '1-3d'
        when age < interval '7 days' then '3-7d'
        else '7d+'
      end as age, priority, count(*) as count
    from (select ${now}::timestamptz - opened_at as age, priority from cases
          where status not in ('resolved', 'closed') and opened_at <= ${now}) open_cases
    group by 1, 2`.execute(db);
  return BACKLOG_AGE_BUCKETS.map((age) => {
    const count = (p: CasePriority) => Number(rows.find((r) => r.age === age && r.priority === p)?.count ?? 0);
    const [P1, P2, P3, P4] = CASE_PRIORITIES.map(count) as [number, number, number, number];
    return { age, P1, P2, P3, P4, total: P1 + P2 + P3 + P4 };
  });
}

/** Cases opened in the period by type and ending: the outcome, `merged`, or `open`. */
async function byTypeAndOutcome(db: Db, period: ReportPeriod): Promise<DeskReport['byTypeAndOutcome']> {
  const { rows } = await sql<{ type: DeskReport['byTypeAndOutcome'][number]['type']; outcome: string; count: Count }>`
    select type,
      case when merged_into is not null then 'merged'
           when status in ('resolved', 'closed') then coalesce(outcome, 'none')
           else 'open' end as outcome,
      count(*) as count
    from cases
    where opened_at >= ${period.from} and opened_at < ${period.to}
    group by 1, 2
    order by 1, 2`.execute(db);
  return rows.map((r) => ({ type: r.type, outcome: r.outcome, count: Number(r.count) }));
}

/**
 * Per agent: the open cases assigned to them now, and the cases they resolved in the period
 * (the assignee when it was resolved). Every agent the service knows appears, busy or not.
 */
async function agentLoad(db: Db, period: ReportPeriod): Promise<DeskReport['agents']> {
  const { rows } = await sql<{ agent: string; open_assigned: Count; resolved: Count }>`
    select agent,
      count(*) filter (where open_case) as open_assigned,
      count(*) filter (where resolved_in_period) as resolved
    from (
      select assignee as agent, status not in ('resolved', 'closed') as open_case,
             resolved_at >= ${period.from} and resolved_at < ${period.to} as resolved_in_period
      from cases where assignee is not null
      union all
      select name, false, false from agents
    ) load
    group by agent
    order by agent collate "C"`.execute(db);
  return rows.map((r) => ({
    agent: r.agent,
    openAssigned: Number(r.open_assigned),
    resolvedInPeriod: Number(r.resolved),
  }));
}

/**
 * The desk report of `[from, to)` as of `now` (see `deskReport` in the contracts for what each
 * figure counts). Read-only; each part one statement, run side by side.
 */
export async function deskReport(db: Db, period: ReportPeriod, now: Date): Promise<DeskReport> {
  const [sla, firstResponse, resolution, open, endings, satisfaction, agents] = await Promise.all([
    slaAttainment(db, period, now),
    durations(db, 'first_response', period),
    durations(db, 'resolution', period),
    backlog(db, now),
    byTypeAndOutcome(db, period),
    ratingFigures(db, period),
    agentLoad(db, period),
  ]);
  return {
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    generatedAt: now.toISOString(),
    slaAttainment: sla,
    firstResponse,
    resolution,
    backlog: open,
    byTypeAndOutcome: endings,
    satisfaction,
    agents,
  };
}
