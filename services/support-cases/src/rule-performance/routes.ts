import {
  backtestReport,
  backtestRequest,
  MAX_RULES_DOCUMENT_BYTES,
  monitorBacktestsApi,
  rulePerformanceQuery,
  rulePerformanceReport,
} from '@wallet-guard/contracts';
import {
  AppError,
  createServiceClient,
  errorBody,
  type ServiceRefusal,
  type ZodTypeProvider,
} from '@wallet-guard/http';
import fp from 'fastify-plugin';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-conventions';
import { upstreamUnavailable } from '../service-clients';

/**
 * A backtest replays up to MONITOR_BACKTEST_MAX_TRANSACTIONS in the monitor before it answers:
 * far longer than the 5 s the other monitor calls get.
 */
const BACKTEST_TIMEOUT_MS = 120_000;

/**
 * The monitor's refusal under this service's prefix (`TXM_BACKTEST_INVALID_RULES` ->
 * `CASE_BACKTEST_INVALID_RULES`), same status, with its details: they name rule paths and bounds,
 * what the supervisor fixes in the document or the period.
 */
function refusedByMonitor(answer: ServiceRefusal): AppError {
  const code = answer.code?.startsWith('TXM_') ? `CASE_${answer.code.slice(4)}` : 'CASE_UPSTREAM_REFUSED';
  return new AppError(
    answer.status,
    code,
    answer.error?.message ?? 'The monitor refused the request',
    answer.error?.details,
  );
}

/**
 * Rule performance and backtests for supervisors, from the monitor (`monitorBacktestsApi`):
 * `GET /v1/rule-performance` and `POST /v1/rule-performance/backtests`. Agents get 403: a backtest
 * holds a period's traffic in the monitor's memory, and both answer about every account.
 */
export const rulePerformanceRoutes = fp<{ monitor: { url: string; apiKey: string } }>(
  async (app, { monitor }) => {
    const client = createServiceClient({
      service: 'transaction-monitor',
      baseUrl: monitor.url,
      apiKey: monitor.apiKey,
      timeoutMs: BACKTEST_TIMEOUT_MS,
      endpoints: monitorBacktestsApi,
    });
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.get(
      '/v1/rule-performance',
      {
        schema: {
          tags: ['rule-performance'],
          summary: 'Per rule hits, confirmed fraud, false positives and precision per day or ISO week (supervisors)',
          description:
            'From the monitor’s flags and the agents’ labels, by event time, [from, to), UTC. 400 ' +
            'CASE_BACKTEST_INVALID_PERIOD, 400 CASE_BACKTEST_PERIOD_TOO_LONG (over 366 days), 503 CASE_UPSTREAM_UNAVAILABLE.',
          security: security.supervisor,
          querystring: rulePerformanceQuery,
          response: { 200: rulePerformanceReport, ...commonErrors, 503: errorBody },
        },
      },
      async (request) => {
        const answer = await client.rulePerformance({ query: request.query, requestId: request.id });
        if (answer.outcome === 'ok') return answer.body;
        if (answer.outcome === 'refused') throw refusedByMonitor(answer);
        throw upstreamUnavailable(answer);
      },
    );

    routes.post(
      '/v1/rule-performance/backtests',
      {
        bodyLimit: MAX_RULES_DOCUMENT_BYTES + 4_096,
        schema: {
          tags: ['rule-performance'],
          summary: 'Replay a period through a candidate rules document (supervisors)',
          description:
            'The monitor replays the stored transactions of [from, to] (event time) in memory and compares with live ' +
            'decisions and agents’ labels. 400 CASE_BACKTEST_INVALID_RULES (details name each problem), 400 ' +
            'CASE_BACKTEST_INVALID_PERIOD, 400 CASE_BACKTEST_PERIOD_TOO_LONG, 413 CASE_BACKTEST_TOO_MANY_TRANSACTIONS, ' +
            '413 CASE_BODY_TOO_LARGE, 429 CASE_BACKTEST_BUSY, 503 CASE_UPSTREAM_UNAVAILABLE.',
          security: security.supervisor,
          body: backtestRequest,
          response: { 200: backtestReport, ...commonErrors, 413: errorBody, 429: errorBody, 503: errorBody },
        },
      },
      async (request) => {
        const answer = await client.runBacktest({ body: request.body, requestId: request.id });
        if (answer.outcome === 'ok') return answer.body;
        if (answer.outcome === 'refused') throw refusedByMonitor(answer);
        throw upstreamUnavailable(answer);
      },
    );
  },
  { name: 'cases-rule-performance-routes', dependencies: ROUTE_DEPENDENCIES },
);
