import type { MonitorConfig } from '@wallet-guard/config';
import { authInternalApi } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { createServiceClient } from '@wallet-guard/http';
import type { EventBus } from '@wallet-guard/messaging';
import type { Infrastructure } from '@wallet-guard/runtime';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { startFreezeWorker } from './auto-freeze/freeze-worker';
import type { Clock } from './clock';
import { ConfirmationVerifier } from './confirmations/confirmation-verifier';
import { transactionsHandler } from './ingest/transactions-handler';
import { pruneMonitorHistory } from './ingest/transactions-repo';
import { ListsStore } from './lists/lists-store';
import { createMonitorMetrics } from './metrics';
import { MONITOR_PRODUCER } from './outbox-producer';
import { DEFAULT_RULES_FILE, RulesStore } from './scoring/rules-store';
import type { DecisionThresholds } from './scoring/score';
import { securityEventsHandler } from './security-timeline/security-events-handler';

/** The plugin name route plugins depend on. */
export const MONITOR_APPLICATION = 'txm-application';
const DECORATOR = 'txmApplication';

/** What the route plugins work with. */
export interface MonitorApplication {
  db: Kysely<Database>;
  bus: EventBus;
  /** The rules in force (swapped whole on reload). */
  rules: RulesStore;
  thresholds: DecisionThresholds;
  /** Checks payment confirmation tokens with auth's JWKS. */
  confirmations: ConfirmationVerifier;
  confirmationRequiredAt: MonitorConfig['confirmation']['requiredAt'];
  /** The managed lists in memory, refreshed when their version moves. */
  lists: ListsStore;
  /** The service's clock (list expiries are checked against it). */
  clock: Clock;
}

/** The application of a monitor app: throws at boot when a route plugin is registered without it. */
export const monitorOf = (app: FastifyInstance): MonitorApplication => app.getDecorator<MonitorApplication>(DECORATOR);

const HOUR_MS = 3_600_000;

/**
 * The monitor's application tier: its metrics, the rules store (reloaded on SIGHUP and file
 * change), the consumers of transactions and security events, the outbox relay, and the
 * background work (auto-freeze worker, hourly retention). Stops all of it on close.
 */
export const monitorApplication = fp<{ config: MonitorConfig; infra: Infrastructure; clock: Clock }>(
  async (app, { config, infra, clock }) => {
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

    const { db, bus } = infra;
    const confirmations = new ConfirmationVerifier({
      jwksUrl: config.confirmation.jwksUrl,
      clock,
      logger: app.log,
      onCheck: (outcome) => metrics.confirmationTokens.inc({ outcome }),
    });
    const lists = new ListsStore(db, (snapshot) => metrics.listsVersion.set(snapshot.version));
    const pipeline = {
      lists,
      rules: () => rules.current(),
      thresholds: config.decision,
      autoFreeze: config.autoFreeze.enabled,
      metrics,
      clock,
      confirmations,
    };
    bus.subscribe(transactionsHandler(pipeline, config.consumer));
    bus.subscribe(securityEventsHandler({ ...pipeline, latenessMs: config.rescoring.latenessMs }));
    bus.relay(MONITOR_PRODUCER);

    if (config.autoFreeze.enabled) {
      let stopWorker: (() => Promise<void>) | undefined;
      app.addHook('onReady', async () => {
        stopWorker = startFreezeWorker({
          db,
          auth: createServiceClient({
            service: 'auth',
            baseUrl: config.autoFreeze.authUrl,
            apiKey: config.autoFreeze.apiKey,
            endpoints: authInternalApi,
          }),
          clock,
          logger: infra.logger,
          onResult: (result) => metrics.freezes.inc({ result }),
        });
      });
      app.addHook('onClose', async () => stopWorker?.());
    }

    const retention = setInterval(() => {
      pruneMonitorHistory(db, config.retentionDays, clock()).then(
        (removed) => infra.logger.debug(removed, 'monitor history pruned'),
        (error: unknown) => infra.logger.warn({ err: error }, 'pruning monitor history failed'),
      );
    }, HOUR_MS);
    retention.unref();
    app.addHook('onClose', async () => clearInterval(retention));

    app.decorate(DECORATOR, {
      db,
      bus,
      rules,
      thresholds: config.decision,
      confirmations,
      confirmationRequiredAt: config.confirmation.requiredAt,
      lists,
      clock,
    } satisfies MonitorApplication);
  },
  { name: MONITOR_APPLICATION, dependencies: ['service-kit'] },
);
