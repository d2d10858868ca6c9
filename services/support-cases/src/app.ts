import type { CasesConfig } from '@wallet-guard/config';
import { apiKeyPlugin, serviceKit } from '@wallet-guard/http';
import type { Infrastructure } from '@wallet-guard/runtime';
import type { FastifyInstance } from 'fastify';
import { registerAccountActionRoutes } from './account-actions/routes';
import { startUnansweredActionsWatch } from './account-actions/unanswered-actions';
import { UpstreamClient } from './account-actions/upstream';
import { agentAuthPlugin } from './agents/agent-auth';
import { registerAgentRoutes } from './agents/routes';
import { CASES_PRODUCER } from './cases/case-events';
import type { IncidentDeps } from './cases/incidents';
import { registerCaseRoutes } from './cases/routes';
import { CONSOLE_PUBLIC_ROUTES, registerConsole } from './console/console-routes';
import { registerCustomerRoutes } from './customers/routes';
import { securityEventsHandler } from './intake/security-events';
import { theftSuspectedHandler } from './intake/theft';
import { startSlaWatch } from './sla/sla-job';

export interface CasesAppOptions {
  config: CasesConfig;
  infra: Infrastructure;
}

/**
 * The support-cases service as a fastify plugin: infrastructure first (docs, metrics, health,
 * errors, API keys, agent tokens), then capabilities. It never listens; `server.ts` does.
 */
export async function casesApp(app: FastifyInstance, { config, infra }: CasesAppOptions): Promise<void> {
  await app.register(serviceKit, {
    service: 'support-cases',
    title: 'Support cases',
    description: 'One case per incident: agent queue, SLAs, audit trail and account actions.',
    version: '0.1.0',
    errorPrefix: 'CASE',
    // The agent console's files, like any sign-in page; its data comes from the agent routes.
    publicRoutes: CONSOLE_PUBLIC_ROUTES,
    readiness: infra.readiness,
    sharedMetrics: [infra.metrics],
    operations: config.operations,
  });
  await app.register(apiKeyPlugin, { keys: config.apiKeys, errorPrefix: 'CASE' });
  await app.register(agentAuthPlugin, config.agentTokens);

  const auth = new UpstreamClient('auth', config.auth.url, config.auth.apiKey);
  const monitor = new UpstreamClient('transaction-monitor', config.monitor.url, config.monitor.apiKey);
  const incidents: IncidentDeps = { sla: config.sla, assignment: config.assignment };
  const { db, bus } = infra;

  registerCaseRoutes(app, { db, bus, auth, monitor, sla: config.sla });
  registerAccountActionRoutes(app, { db, bus, auth, monitor });
  registerCustomerRoutes(app, { db, bus, auth, monitor, ...incidents });
  registerAgentRoutes(app, db);
  await registerConsole(app);

  bus.subscribe(securityEventsHandler(incidents));
  bus.subscribe(theftSuspectedHandler(incidents));
  bus.relay(CASES_PRODUCER);

  const stopSlaWatch = startSlaWatch(db, bus, infra.logger, config.sla.checkIntervalMs);
  const stopActionsWatch = startUnansweredActionsWatch(db, infra.logger, config.sla.checkIntervalMs);
  app.addHook('onClose', async () => {
    stopSlaWatch();
    stopActionsWatch();
  });
}
