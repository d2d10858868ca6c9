import type { NotifierConfig } from '@wallet-guard/config';
import { authInternalApi } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { createServiceClient } from '@wallet-guard/http';
import type { Infrastructure } from '@wallet-guard/runtime';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Channel } from './channels/channel';
import { createDevMailbox, type DevMailbox } from './channels/dev-mailbox';
import { createSmtpChannel } from './channels/smtp-channel';
import { createWebhookChannel } from './channels/webhook-channel';
import type { Clock } from './clock';
import { authNotificationsHandler } from './intake/auth-notifications';
import { caseEventsHandler } from './intake/case-events';
import { createRenderer } from './messages';
import { createNotifierMetrics } from './metrics';

/** The plugin name route plugins depend on. */
export const NOTIFIER_APPLICATION = 'notifier-application';
const DECORATOR = 'notifierApplication';

/** What the route plugins work with. */
export interface NotifierApplication {
  db: Kysely<Database>;
  /** Set in development when no SMTP server is configured: `/dev/mailbox` shows it. */
  mailbox: DevMailbox | undefined;
}

/** The application of a notifier app: throws at boot when a route plugin is registered without it. */
export const notifierOf = (app: FastifyInstance): NotifierApplication =>
  app.getDecorator<NotifierApplication>(DECORATOR);

/** The channels the configuration names: e-mail (SMTP or the development mailbox), then the webhook. */
function openChannels(config: NotifierConfig): { channels: Channel[]; mailbox: DevMailbox | undefined } {
  const channels: Channel[] = [];
  let mailbox: DevMailbox | undefined;
  if (config.email?.kind === 'smtp') {
    channels.push(
      createSmtpChannel({
        url: config.email.url,
        from: config.email.from,
        requireTls: config.email.requireTls,
        timeoutMs: config.sendTimeoutMs,
      }),
    );
  } else if (config.email?.kind === 'dev-mailbox') {
    mailbox = createDevMailbox(config.email.dir);
    channels.push(mailbox);
  }
  if (config.webhook) {
    channels.push(
      createWebhookChannel({ url: config.webhook.url, secret: config.webhook.secret, timeoutMs: config.sendTimeoutMs }),
    );
  }
  return { channels, mailbox };
}

/**
 * The notifier's application tier: the channels, the renderer (templates compiled once, here),
 * the client of auth's internal API (case messages need the customer's address), and the two
 * consumers, auth's notifications and support-cases' case events. Channels close on close.
 */
export const notifierApplication = fp<{ config: NotifierConfig; infra: Infrastructure; clock: Clock }>(
  async (app, { config, infra, clock }) => {
    const { db, bus, logger } = infra;
    const { channels, mailbox } = openChannels(config);
    app.addHook('onClose', async () => {
      await Promise.all(channels.map((c) => c.close()));
    });
    logger.info({ channels: channels.map((c) => `${c.name}: ${c.target}`) }, 'notifier channels');

    const deps = {
      db,
      clock,
      logger,
      retry: config.retry,
      maxEventAgeSeconds: config.maxEventAgeSeconds,
      metrics: createNotifierMetrics(app.metricsRegistry),
      channels,
      renderer: await createRenderer({ linkBaseUrl: config.linkBaseUrl, timeZone: config.timeZone }),
      auth: createServiceClient({
        service: 'auth',
        baseUrl: config.auth.url,
        apiKey: config.auth.apiKey,
        endpoints: authInternalApi,
      }),
    };
    bus.subscribe(authNotificationsHandler(deps));
    bus.subscribe(caseEventsHandler(deps));

    app.decorate(DECORATOR, { db, mailbox } satisfies NotifierApplication);
  },
  { name: NOTIFIER_APPLICATION, dependencies: ['service-kit'] },
);
