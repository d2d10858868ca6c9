// The period a supervisor's report covers: pure, no I/O.
import { INSTANT_RANGE, isoDateTime } from '@wallet-guard/contracts';
import { z } from 'zod';

/** `from` and `to` of a report's query: bounded instants (INSTANT_RANGE), so every date a report names is one its answer can carry. */
export const reportPeriodQuery = z.object({ from: isoDateTime.optional(), to: isoDateTime.optional() });

/** No report starts before the first instant our contracts carry (a default `from` is clamped to it). */
const EARLIEST_MS = Date.parse(INSTANT_RANGE.min);

const DAY_MS = 86_400_000;
/** The longest period one desk report covers: a leap year. Longer is 400 CASE_REPORT_RANGE_INVALID. */
export const MAX_REPORT_DAYS = 366;
/** Without `from`, a report covers the 30 days before `to`. */
export const DEFAULT_REPORT_DAYS = 30;

export interface ReportPeriod {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

export type PeriodProblem = { ok: false; message: string };

/**
 * `[from, to)` from the query: `to` defaults to `now`, `from` to `DEFAULT_REPORT_DAYS` before `to`.
 * Refused (with the reason) when `from` is not before `to` or the period exceeds `MAX_REPORT_DAYS`.
 */
export function reportPeriod(
  query: { from?: string | undefined; to?: string | undefined },
  now: Date,
): ({ ok: true } & ReportPeriod) | PeriodProblem {
  const to = query.to ? new Date(query.to) : now;
  const from = query.from
    ? new Date(query.from)
    : new Date(Math.max(EARLIEST_MS, to.getTime() - DEFAULT_REPORT_DAYS * DAY_MS));
  if (from >= to) return { ok: false, message: '`from` must be before `to`' };
  if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * DAY_MS) {
    return { ok: false, message: `A report covers at most ${MAX_REPORT_DAYS} days` };
  }
  return { ok: true, from, to };
}
