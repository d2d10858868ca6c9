import type { PortalConfig } from '@wallet-guard/config';
import type { SupportedLocale } from '@wallet-guard/i18n';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type AuthClient, createAuthClient } from './auth/auth-client';
import { type CasesClient, createCasesClient } from './cases/cases-client';
import { createMonitorClient, type MonitorClient } from './cases/monitor-client';
import type { Clock } from './clock';
import { type ConfirmationsClient, createConfirmationsClient } from './confirmations/confirmations-client';
import { BUNDLED_RESOURCES, createTranslators, type Translate } from './i18n/translator';
import { type CookieNames, cookieNames } from './web/cookies';
import { PORTAL_WEB } from './web/web-plugin';

/** The plugin name route plugins depend on. */
export const PORTAL_APPLICATION = 'portal-application';
const DECORATOR = 'portalApplication';

/** What the route plugins work with. */
export interface PortalApplication {
  config: PortalConfig;
  clock: Clock;
  auth: AuthClient;
  /** Auth's payment-confirmation routes (same service and key as `auth`). */
  confirmations: ConfirmationsClient;
  /** Support-cases' customer routes, for the help centre. */
  cases: CasesClient;
  /** The monitor's account routes: the customer's recent transactions, for a dispute. */
  monitor: MonitorClient;
  translators: (locale: SupportedLocale) => Translate;
  cookies: CookieNames;
}

/** The application of a portal app: throws at boot when a route plugin is registered without it. */
export const portalOf = (app: FastifyInstance): PortalApplication => app.getDecorator<PortalApplication>(DECORATOR);

/**
 * The portal's application tier: auth's, support-cases' and the monitor's clients with the portal's
 * keys, and the pages' strings.
 */
export const portalApplication = fp<{ config: PortalConfig; clock: Clock }>(
  async (app, { config, clock }) => {
    app.decorate(DECORATOR, {
      config,
      clock,
      auth: createAuthClient({ url: config.auth.url, apiKey: config.auth.apiKey }),
      confirmations: createConfirmationsClient({ url: config.auth.url, apiKey: config.auth.apiKey }),
      cases: createCasesClient(config.cases),
      monitor: createMonitorClient(config.monitor),
      translators: await createTranslators(BUNDLED_RESOURCES, 'Wallet Guard'),
      cookies: cookieNames(config.secureCookies),
    } satisfies PortalApplication);
  },
  { name: PORTAL_APPLICATION, dependencies: ['service-kit', PORTAL_WEB] },
);
