import {
  backtestReport,
  backtestRequest,
  MAX_RULES_DOCUMENT_BYTES,
  rulePerformanceQuery,
  rulePerformanceReport,
} from '@wallet-guard/contracts';
import { errorBody, type ZodTypeProvider } from '@wallet-guard/http';
import fp from 'fastify-plugin';
import { monitorOf } from '../application';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-conventions';
import { backtestErrors } from './backtest-errors';
import { rulePerformance } from './rule-performance-repo';
import { type BacktestBounds, BacktestRefused, parseCandidateRules, runBacktest } from './run-backtest';

/** Longest period rule performance answers for: a year of weeks. */
const MAX_PERFORMANCE_DAYS = 366;

/**
 * `POST /v1/backtests` and `GET /v1/rule-performance` (scope internal: support-cases calls them
 * for supervisors). A backtest runs in this process, in memory, one at a time, within `bounds`.
 */
export const backtestRoutes = fp<{ bounds: BacktestBounds; latenessMs: number }>(
  async (app, { bounds, latenessMs }) => {
    const { db, thresholds } = monitorOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();
    let running = false;

    routes.post(
      '/v1/backtests',
      {
        // The rules document and the rest of the body; beyond it 413 TXM_BODY_TOO_LARGE.
        bodyLimit: MAX_RULES_DOCUMENT_BYTES + 4_096,
        schema: {
          tags: ['backtests'],
          summary: 'Replay a period through candidate rules, against live decisions and agents’ labels',
          description:
            'Replays the stored transactions whose occurredAt is in [from, to] (and, to rebuild their profiles, ' +
            "the same accounts' earlier stored ones) through the rules document, in memory: nothing is written. " +
            `400 TXM_BACKTEST_INVALID_RULES (details name each problem), 400 TXM_BACKTEST_INVALID_PERIOD, ` +
            `400 TXM_BACKTEST_PERIOD_TOO_LONG (MONITOR_BACKTEST_MAX_DAYS), 413 TXM_BACKTEST_TOO_MANY_TRANSACTIONS ` +
            `(MONITOR_BACKTEST_MAX_TRANSACTIONS), 413 TXM_BODY_TOO_LARGE (a document over ${MAX_RULES_DOCUMENT_BYTES} bytes), ` +
            '429 TXM_BACKTEST_BUSY (one backtest at a time per instance).',
          security: security.internal,
          body: backtestRequest,
          response: { 200: backtestReport, ...commonErrors, 413: errorBody, 429: errorBody },
        },
      },
      async (request) => {
        const from = new Date(request.body.from);
        const to = new Date(request.body.to);
        try {
          const candidate = parseCandidateRules(request.body.rules);
          if (running) throw backtestErrors.busy();
          running = true;
          try {
            return await runBacktest(db, candidate, { from, to }, thresholds, bounds, latenessMs);
          } finally {
            running = false;
          }
        } catch (error) {
          if (error instanceof BacktestRefused) throw backtestErrors.refused(error);
          throw error;
        }
      },
    );

    routes.get(
      '/v1/rule-performance',
      {
        schema: {
          tags: ['backtests'],
          summary: 'Per rule hits, confirmed fraud, false positives and precision, per day or week',
          description:
            'Flags whose occurredAt is in [from, to), by UTC day or ISO week (Monday), with their latest agent label. ' +
            `400 TXM_BACKTEST_INVALID_PERIOD (from not before to), 400 TXM_BACKTEST_PERIOD_TOO_LONG (over ${MAX_PERFORMANCE_DAYS} days).`,
          security: security.internal,
          querystring: rulePerformanceQuery,
          response: { 200: rulePerformanceReport, ...commonErrors },
        },
      },
      async (request) => {
        const span = Date.parse(request.query.to) - Date.parse(request.query.from);
        if (!(span > 0)) throw backtestErrors.invalidPeriod();
        if (span > MAX_PERFORMANCE_DAYS * 86_400_000) throw backtestErrors.periodTooLong(MAX_PERFORMANCE_DAYS);
        return rulePerformance(db, request.query);
      },
    );
  },
  { name: 'txm-backtest-routes', dependencies: ROUTE_DEPENDENCIES },
);
