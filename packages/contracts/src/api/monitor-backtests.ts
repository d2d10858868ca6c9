// The monitor's backtest and rule-performance reports (scope internal), and the support-cases
// routes that proxy them for supervisors.
import { z } from 'zod';
import { accountId, isoDateTime } from '../envelope';
import { riskDecision } from '../events/risk';
import type { ApiEndpoint } from './endpoint';

/** 0..1, or null when its denominator is zero (nothing labelled, no confirmed fraud). */
const ratio = z.number().min(0).max(1).nullable();
const count = z.number().int().nonnegative();

/** How many transactions ended in each decision. */
const decisionCounts = z.object({ allow: count, review: count, suspected_theft: count });

/**
 * Agents' labels (`monitor_flag_feedback`, the latest per flag) of the transactions counted:
 * `confirmedFraud`, `falsePositive`. Precision = confirmed fraud / labelled among the raised
 * (review or suspected_theft) ones; recall = confirmed fraud raised / all confirmed fraud of the
 * period. A label needs a live flag: transactions live never flagged carry none.
 */
const labelFigures = {
  confirmedFraud: count,
  falsePositive: count,
  precision: ratio,
  recall: ratio,
};

/**
 * One rule in a backtest. `hits`: transactions of the period the candidate rule hit (any points,
 * shadow hits too); `liveHits`: the same in the live flags. `changed`: transactions whose decision
 * changed and whose points from this rule differ between live and candidate (what moved them).
 * Labels count the candidate's hits: precision is confirmed fraud / labelled hits; recall is the
 * period's confirmed fraud this rule hit / all of it.
 */
export const backtestRuleReport = z.object({
  rule: z.string(),
  mode: z.enum(['live', 'shadow', 'off']),
  hits: count,
  liveHits: count,
  changed: count,
  ...labelFigures,
});
export type BacktestRuleReport = z.infer<typeof backtestRuleReport>;

/** A transaction decided otherwise than live. */
export const backtestChange = z.object({
  transactionId: z.string(),
  accountId,
  occurredAt: isoDateTime,
  liveDecision: riskDecision,
  liveScore: z.number().int().min(0).max(100),
  decision: riskDecision,
  score: z.number().int().min(0).max(100),
  label: z.enum(['confirmed_fraud', 'false_positive']).nullable(),
});
export type BacktestChange = z.infer<typeof backtestChange>;

/** Most changed transactions a report lists (all are counted). */
export const BACKTEST_CHANGES_LISTED = 200;

/**
 * What a backtest found over `[from, to]` (event time, `occurredAt`, inclusive). Only stored
 * transactions (kept `MONITOR_RETENTION_DAYS`) are replayed.
 *
 * - `transactions`: of the period; `warmUpTransactions`: the same accounts' earlier stored ones,
 *   folded into their profiles as live decided them (no rule runs on them).
 * - `accountsWithPartialHistory`: accounts whose profile counts more transactions than are stored
 *   (retention pruned their beginning): their profiles, and so their scores, may differ from live.
 * - `overall.changed`: transactions whose decision differs from live's (`allow` where live left
 *   no flag); `scoresChanged` the same for the score.
 */
export const backtestReport = z.object({
  rulesVersion: z.string(),
  from: isoDateTime,
  to: isoDateTime,
  /** The rules versions live scored the period with (from its flags). */
  liveRulesVersions: z.array(z.string()),
  transactions: count,
  warmUpTransactions: count,
  accounts: count,
  accountsWithPartialHistory: count,
  overall: z.object({
    decisions: decisionCounts,
    liveDecisions: decisionCounts,
    changed: count,
    scoresChanged: count,
    ...labelFigures,
    /** The same figures for what live decided. */
    livePrecision: ratio,
    liveRecall: ratio,
  }),
  rules: z.array(backtestRuleReport),
  changes: z.array(backtestChange),
  /** More changes than `BACKTEST_CHANGES_LISTED` happened: `changes` lists the first ones replayed, by time. */
  changesTruncated: z.boolean(),
});
export type BacktestReport = z.infer<typeof backtestReport>;

/** Largest rules document a backtest request may carry (bytes of YAML or JSON). */
export const MAX_RULES_DOCUMENT_BYTES = 256 * 1024;

/**
 * `POST /v1/backtests`: `rules` is a rules file's text (YAML, or JSON which is YAML too), the same
 * format as `MONITOR_RULES_FILE`. Errors: 400 `TXM_BACKTEST_INVALID_RULES` (details name each
 * problem), 400 `TXM_BACKTEST_INVALID_PERIOD` (`from` not before `to`), 400
 * `TXM_BACKTEST_PERIOD_TOO_LONG` (over `MONITOR_BACKTEST_MAX_DAYS`), 413
 * `TXM_BACKTEST_TOO_MANY_TRANSACTIONS` (over `MONITOR_BACKTEST_MAX_TRANSACTIONS`), 429
 * `TXM_BACKTEST_BUSY` (another backtest runs on this instance).
 */
export const backtestRequest = z.object({
  rules: z.string().min(1),
  from: isoDateTime,
  to: isoDateTime,
});
export type BacktestRequest = z.infer<typeof backtestRequest>;

export const RULE_PERFORMANCE_BUCKETS = ['day', 'week'] as const;

/**
 * `GET /v1/rule-performance?from&to&bucket`: flags of `[from, to)` by event time, in UTC days or
 * ISO weeks (starting Monday). Errors: 400 `TXM_BACKTEST_INVALID_PERIOD`, 400
 * `TXM_BACKTEST_PERIOD_TOO_LONG` (over 366 days).
 */
export const rulePerformanceQuery = z.object({
  from: isoDateTime,
  to: isoDateTime,
  bucket: z.enum(RULE_PERFORMANCE_BUCKETS).default('week'),
});
export type RulePerformanceQuery = z.infer<typeof rulePerformanceQuery>;

/**
 * One rule in one bucket: `hits` are flags the rule contributed to (live or shadow);
 * `confirmedFraud` / `falsePositive` those of them whose latest label says so; `precision` =
 * confirmed fraud / labelled, null when none is labelled.
 */
export const rulePerformancePoint = z.object({
  /** The bucket's first day, `YYYY-MM-DD` (UTC). */
  bucket: z.iso.date(),
  hits: count,
  confirmedFraud: count,
  falsePositive: count,
  precision: ratio,
});
export type RulePerformancePoint = z.infer<typeof rulePerformancePoint>;

export const rulePerformanceReport = z.object({
  from: isoDateTime,
  to: isoDateTime,
  bucket: z.enum(RULE_PERFORMANCE_BUCKETS),
  /** Every bucket of the period, oldest first (also those without hits). */
  buckets: z.array(z.iso.date()),
  rules: z.array(
    z.object({
      rule: z.string(),
      /** Totals over the period. */
      total: rulePerformancePoint.omit({ bucket: true }),
      /** One point per bucket of `buckets`, in the same order. */
      points: z.array(rulePerformancePoint),
    }),
  ),
});
export type RulePerformanceReport = z.infer<typeof rulePerformanceReport>;

/** The monitor's backtest and rule-performance routes (scope `internal`), as support-cases calls them. */
export const monitorBacktestsApi = {
  runBacktest: { method: 'POST', path: '/v1/backtests', body: backtestRequest, responses: { 200: backtestReport } },
  rulePerformance: {
    method: 'GET',
    path: '/v1/rule-performance',
    query: rulePerformanceQuery,
    responses: { 200: rulePerformanceReport },
  },
} as const satisfies Record<string, ApiEndpoint>;
