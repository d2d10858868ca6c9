import type { MonitorConfig } from '@wallet-guard/config';
import { apiKeyPlugin, serviceKit } from '@wallet-guard/http';
import type { Infrastructure } from '@wallet-guard/runtime';
import type { FastifyInstance } from 'fastify';
import { accountTransactionsRoutes } from './account-transactions/account-transactions-route';
import { monitorApplication } from './application';
import { backtestRoutes } from './backtest/backtest-routes';
import { type Clock, systemClock } from './clock';
import { flagsRoutes } from './flags/flags-routes';
import { ingestRoutes } from './ingest/transactions-route';
import { listsRoutes } from './lists/lists-routes';
import { riskRoutes } from './profiles/risk-route';
import { scoreRoutes } from './scoring/score-route';

export interface MonitorAppOptions {
  config: MonitorConfig;
  infra: Infrastructure;
  /** Tests move time; everything else uses the system clock. */
  clock?: Clock | undefined;
}

/**
 * The transaction monitor as a fastify plugin, in three tiers: infrastructure (docs, metrics,
 * health, errors, API keys), the application (rules, consumers, background work: see
 * `application.ts`), then the routes of each capability. It never listens; `server.ts` does.
 */
export async function monitorApp(app: FastifyInstance, { config, infra, clock }: MonitorAppOptions): Promise<void> {
  await app.register(serviceKit, {
    service: 'transaction-monitor',
    title: 'Transaction monitor',
    description:
      'Scores wallet transactions against account history and security events; flags and announces suspected theft.',
    version: '0.1.0',
    errorPrefix: 'TXM',
    readiness: infra.readiness,
    sharedMetrics: [infra.metrics],
    operations: config.operations,
  });
  await app.register(apiKeyPlugin, { keys: config.apiKeys, errorPrefix: 'TXM' });

  await app.register(monitorApplication, { config, infra, clock: clock ?? systemClock });

  await app.register(ingestRoutes);
  await app.register(scoreRoutes);
  await app.register(flagsRoutes);
  await app.register(listsRoutes);
  await app.register(riskRoutes);
  await app.register(accountTransactionsRoutes);
  await app.register(backtestRoutes, { bounds: config.backtest, latenessMs: config.rescoring.latenessMs });
}
