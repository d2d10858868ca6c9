import type { CasesConfig } from '@wallet-guard/config';
import { apiKeyPlugin, serviceKit } from '@wallet-guard/http';
import type { Infrastructure } from '@wallet-guard/runtime';
import type { FastifyInstance } from 'fastify';
import { accountActionRoutes } from './account-actions/routes';
import { agentAuthPlugin } from './agents/agent-auth';
import { agentRoutes } from './agents/routes';
import { casesApplication } from './application';
import { caseMergeRoutes } from './cases/merge-routes';
import { caseRoutes } from './cases/routes';
import { type Clock, systemClock } from './clock';
import { CONSOLE_PUBLIC_ROUTES, consoleRoutes } from './console/console-routes';
import { customerRoutes } from './customers/routes';
import { listRoutes } from './lists/routes';
import { macroRoutes } from './macros/routes';
import { networkCaseRoutes } from './network-cases/network-routes';
import { reportRoutes } from './reports/routes';
import { rulePerformanceRoutes } from './rule-performance/routes';
import { satisfactionRoutes } from './satisfaction/routes';
import { slaCalendarRoutes } from './sla/routes';

export interface CasesAppOptions {
  config: CasesConfig;
  infra: Infrastructure;
  /** Tests move time (`TestClock`); everything else uses the system clock. */
  clock?: Clock | undefined;
}

/**
 * The support-cases service as a fastify plugin, in three tiers: infrastructure (docs, metrics,
 * health, errors, API keys, agent tokens), the application (case context, clients of auth and the
 * monitor, consumers, periodic checks: see `application.ts`), then the routes of each capability
 * and the agent console. It never listens; `server.ts` does.
 */
export async function casesApp(app: FastifyInstance, { config, infra, clock }: CasesAppOptions): Promise<void> {
  const now = clock ?? systemClock;
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
  await app.register(agentAuthPlugin, { ...config.agentTokens, clock: now });

  await app.register(casesApplication, { config, infra, clock: now });

  await app.register(caseRoutes);
  await app.register(caseMergeRoutes);
  await app.register(accountActionRoutes);
  await app.register(networkCaseRoutes);
  await app.register(customerRoutes);
  await app.register(macroRoutes);
  await app.register(satisfactionRoutes);
  await app.register(reportRoutes);
  await app.register(rulePerformanceRoutes, { monitor: config.monitor });
  await app.register(listRoutes);
  await app.register(agentRoutes);
  await app.register(slaCalendarRoutes);
  await app.register(consoleRoutes, {});
}
