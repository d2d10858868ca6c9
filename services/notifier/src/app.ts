import type { NotifierConfig } from '@wallet-guard/config';
import { apiKeyPlugin, serviceKit } from '@wallet-guard/http';
import type { Infrastructure } from '@wallet-guard/runtime';
import type { FastifyInstance } from 'fastify';
import { notifierApplication } from './application';
import { DEV_MAILBOX_PUBLIC_ROUTES, devMailboxRoutes } from './channels/dev-mailbox-routes';
import { type Clock, systemClock } from './clock';
import { deliveryRoutes } from './deliveries/routes';

export interface NotifierAppOptions {
  config: NotifierConfig;
  infra: Infrastructure;
  /** Tests move time; everything else uses the system clock. */
  clock?: Clock | undefined;
}

/**
 * The notifier as a fastify plugin, in three tiers: infrastructure (docs, metrics, health,
 * errors, API keys), the application (channels, renderer, consumers: see `application.ts`), then
 * the routes: deliveries, and in development the mailbox pages. It never listens; `server.ts` does.
 */
export async function notifierApp(app: FastifyInstance, { config, infra, clock }: NotifierAppOptions): Promise<void> {
  const devMailbox = config.mode !== 'production' && config.email?.kind === 'dev-mailbox';
  await app.register(serviceKit, {
    service: 'notifier',
    title: 'Notifier',
    description:
      "Delivers auth's notifications and support-cases' customer messages by e-mail and webhook, in the user's language.",
    version: '0.1.0',
    errorPrefix: 'NOTIFIER',
    // The development mailbox is a page for a developer's browser, like the agent console's files.
    publicRoutes: devMailbox ? DEV_MAILBOX_PUBLIC_ROUTES : [],
    readiness: infra.readiness,
    sharedMetrics: [infra.metrics],
    operations: config.operations,
  });
  await app.register(apiKeyPlugin, { keys: config.apiKeys, errorPrefix: 'NOTIFIER' });

  await app.register(notifierApplication, { config, infra, clock: clock ?? systemClock });

  await app.register(deliveryRoutes);
  if (devMailbox) await app.register(devMailboxRoutes);
}
