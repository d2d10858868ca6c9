import type { MonitorConfig } from '@wallet-guard/config';
import { apiKeyPlugin, serviceKit } from '@wallet-guard/http';
import type { Infrastructure } from '@wallet-guard/runtime';
import type { FastifyInstance } from 'fastify';
import { authFreezeClient } from './auto-freeze/auth-freeze-client';
import { startFreezeWorker } from './auto-freeze/freeze-worker';
import { flagsRoutes } from './flags/flags-routes';
import { transactionsHandler } from './ingest/transactions-handler';
import { pruneMonitorHistory } from './ingest/transactions-repo';
import { ingestRoutes } from './ingest/transactions-route';
import { createMonitorMetrics } from './metrics';
import { MONITOR_PRODUCER } from './producer';
import { riskRoutes } from './profiles/risk-route';
import { DEFAULT_RULES_FILE, RulesStore } from './scoring/rules-store';
import { scoreRoutes } from './scoring/score-route';
import { securityEventsHandler } from './security-timeline/security-events-handler';

export { MONITOR_PRODUCER };

export interface MonitorAppOptions {
  config: MonitorConfig;
  infra: Infrastructure;
}

const HOUR_MS = 3_600_000;

/**
 * The transaction monitor as a fastify plugin: infrastructure first (docs, metrics, health, errors,
 * API keys), then the rules, the consumers (transactions, security events), the routes and the
 * background work (auto-freeze, retention). It never listens; `server.ts` does.
 */
export async function monitorApp(app: FastifyInstance, { config, infra }: MonitorAppOptions): Promise<void> {
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

  const metrics = createMonitorMetrics(app.metricsRegistry);
  const rules = new RulesStore({
    path: config.rules.file ?? DEFAULT_RULES_FILE,
    watch: config.rules.watch,
    logger: infra.logger,
    onReload: (result) => {
      metrics.rulesReloads.inc({ result: result.status });
      if (result.status === 'reloaded') {
        metrics.rulesVersion.reset();
        metrics.rulesVersion.set({ version: result.version }, 1);
      }
    },
  });
  metrics.rulesVersion.set({ version: rules.current().version }, 1);
  app.addHook('onClose', async () => rules.close());

  const pipeline = {
    rules: () => rules.current(),
    thresholds: config.decision,
    autoFreeze: config.autoFreeze.enabled,
    metrics,
  };
  infra.bus.subscribe(transactionsHandler(pipeline, config.consumer));
  infra.bus.subscribe(securityEventsHandler());
  infra.bus.relay(MONITOR_PRODUCER);

  const { db, bus } = infra;
  await app.register(ingestRoutes, { db, bus });
  await app.register(scoreRoutes, { db, rules, thresholds: config.decision });
  await app.register(flagsRoutes, { db });
  await app.register(riskRoutes, { db });

  if (config.autoFreeze.enabled) {
    let stopWorker: (() => Promise<void>) | undefined;
    app.addHook('onReady', async () => {
      stopWorker = startFreezeWorker({
        db,
        auth: authFreezeClient({ baseUrl: config.autoFreeze.authUrl, apiKey: config.autoFreeze.apiKey }),
        logger: infra.logger,
        onResult: (result) => metrics.freezes.inc({ result }),
      });
    });
    app.addHook('onClose', async () => stopWorker?.());
  }

  const retention = setInterval(() => {
    pruneMonitorHistory(db, config.retentionDays).then(
      (removed) => infra.logger.debug(removed, 'monitor history pruned'),
      (error: unknown) => infra.logger.warn({ err: error }, 'pruning monitor history failed'),
    );
  }, HOUR_MS);
  retention.unref();
  app.addHook('onClose', async () => clearInterval(retention));
}
