// Support-cases' desk report for supervisors (`GET /v1/reports/desk`, and `.csv`).
import { z } from 'zod';
import { casePriority, caseType } from '../events/cases';
import { satisfactionReport } from './cases-desk';

const instant = z.iso.datetime({ offset: true });

/** Met, missed and still pending of one SLA in one group; `attainment` = met / (met + missed), null without any. */
const slaFigures = z.object({
  met: z.number().int().nonnegative(),
  missed: z.number().int().nonnegative(),
  /** Not yet decided: no answer (or resolution) and the deadline not passed, or the clocks paused. */
  pending: z.number().int().nonnegative(),
  /** 0..1, four decimals. */
  attainment: z.number().min(0).max(1).nullable(),
});

/** Median and 90th percentile (continuous, Postgres `percentile_cont`) in wall-clock minutes, one decimal. */
const durationFigures = z.object({
  /** `all` for every priority together. */
  priority: z.union([casePriority, z.literal('all')]),
  count: z.number().int().nonnegative(),
  medianMinutes: z.number().nullable(),
  p90Minutes: z.number().nullable(),
});

/** How old the open cases are: `[min, max)` hours from their opening to `generatedAt`. */
export const BACKLOG_AGE_BUCKETS = ['0-1h', '1-4h', '4-24h', '1-3d', '3-7d', '7d+'] as const;

/** How a case of the period ended: its outcome, `merged` (a duplicate), or `open` (not resolved yet). */
const caseEnding = z.string();

/**
 * `GET /v1/reports/desk?from&to`: how the desk did in `[from, to)`.
 *
 * - `slaAttainment`: cases opened in the period (merged duplicates left out), per ISO 8601 week
 *   of their opening (UTC, `2026-W48`) and priority, with each SLA met, missed or pending as of
 *   `generatedAt` (deadlines as the case's calendar and pauses made them).
 * - `firstResponse`: cases opened in the period that had their first response; `resolution`:
 *   cases resolved in the period. Both in wall-clock minutes from the opening (nights, weekends and
 *   waits for the customer included: what the customer lived); the SLA figures are the business terms.
 * - `backlog`: cases open at `generatedAt` by age, whatever the period.
 * - `byTypeAndOutcome`: cases opened in the period by type and how they ended.
 * - `satisfaction`: the ratings answered in the period (the same figures as `GET /v1/reports/satisfaction`).
 * - `agents`: per agent, open cases assigned now and cases they resolved in the period.
 */
export const deskReport = z.object({
  from: instant,
  to: instant,
  generatedAt: instant,
  slaAttainment: z.array(
    z.object({ week: z.string(), priority: casePriority, firstResponse: slaFigures, resolution: slaFigures }),
  ),
  firstResponse: z.array(durationFigures),
  resolution: z.array(durationFigures),
  backlog: z.array(
    z.object({
      age: z.enum(BACKLOG_AGE_BUCKETS),
      P1: z.number().int(),
      P2: z.number().int(),
      P3: z.number().int(),
      P4: z.number().int(),
      total: z.number().int(),
    }),
  ),
  byTypeAndOutcome: z.array(z.object({ type: caseType, outcome: caseEnding, count: z.number().int().positive() })),
  satisfaction: satisfactionReport.omit({ from: true, to: true }),
  agents: z.array(
    z.object({
      agent: z.string(),
      openAssigned: z.number().int().nonnegative(),
      resolvedInPeriod: z.number().int().nonnegative(),
    }),
  ),
});
export type DeskReport = z.infer<typeof deskReport>;
