import type { CasesConfig } from '@wallet-guard/config';
import type { Database } from '@wallet-guard/db';
import type { EventBus } from '@wallet-guard/messaging';
import type { Infrastructure } from '@wallet-guard/runtime';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { startUnansweredActionsWatch } from './account-actions/unanswered-actions';
import type { CaseContext } from './cases/case-context';
import { CASES_PRODUCER } from './cases/case-events';
import type { Clock } from './clock';
import { securityEventsHandler } from './intake/security-events';
import { theftSuspectedHandler } from './intake/theft';
import { muleDestinationHandler } from './network-cases/mule-intake';
import {
  type AuthClient,
  createAuthClient,
  createMonitorClient,
  createNotifierClient,
  type MonitorClient,
  type NotifierClient,
} from './service-clients';
import { startSlaWatch } from './sla/sla-job';

/** The plugin name route plugins depend on. */
export const CASES_APPLICATION = 'cases-application';
const DECORATOR = 'casesApplication';

/** What the route plugins work with. */
export interface CasesApplication {
  db: Kysely<Database>;
  bus: EventBus;
  /** The clock and policies every change to a case takes. */
  context: CaseContext;
  auth: AuthClient;
  monitor: MonitorClient;
  /** Read for the case page only; nothing else waits for the notifier. */
  notifier: NotifierClient;
}

/** The application of a support-cases app: throws at boot when a route plugin is registered without it. */
export const supportCasesOf = (app: FastifyInstance): CasesApplication => app.getDecorator<CasesApplication>(DECORATOR);

/**
 * The support-cases application tier: the case context (clock, SLA and assignment policies), the
 * clients of auth, the monitor and the notifier, the consumers that turn auth's security events and the
 * monitor's theft suspicions into cases, the relay of the case events, and the periodic work (the
 * SLA check, settling account actions left without outcome), stopped on close.
 */
export const casesApplication = fp<{ config: CasesConfig; infra: Infrastructure; clock: Clock }>(
  async (app, { config, infra, clock }) => {
    const { db, bus, logger } = infra;
    const context: CaseContext = {
      clock,
      sla: config.sla,
      assignment: config.assignment,
      satisfaction: config.satisfaction,
    };

    bus.subscribe(securityEventsHandler(context));
    bus.subscribe(theftSuspectedHandler(context));
    bus.subscribe(muleDestinationHandler(context));
    bus.relay(CASES_PRODUCER);

    const interval = config.sla.checkIntervalMs;
    const stopSlaWatch = startSlaWatch(db, bus, clock, logger, interval, config.escalation);
    const stopActionsWatch = startUnansweredActionsWatch(db, clock, logger, interval);
    app.addHook('onClose', async () => {
      stopSlaWatch();
      stopActionsWatch();
    });

    app.decorate(DECORATOR, {
      db,
      bus,
      context,
      auth: createAuthClient(config.auth),
      monitor: createMonitorClient(config.monitor),
      notifier: createNotifierClient(config.notifier),
    } satisfies CasesApplication);
  },
  { name: CASES_APPLICATION, dependencies: ['service-kit'] },
);
