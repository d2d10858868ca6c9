import type { PortalConfig } from '@wallet-guard/config';
import { serviceKit } from '@wallet-guard/http';
import type { FastifyInstance } from 'fastify';
import { accountRoutes } from './account/routes';
import { portalApplication, portalOf } from './application';
import { caseRoutes } from './cases/routes';
import { satisfactionRoutes } from './cases/satisfaction-routes';
import { type Clock, systemClock } from './clock';
import { confirmationRoutes } from './confirmations/routes';
import { emailLinkRoutes } from './email-links/routes';
import { helpRoutes } from './help/routes';
import { languageRoutes } from './language/routes';
import { passkeyOptionRoutes } from './passkeys/option-routes';
import { passkeyRoutes } from './passkeys/routes';
import { passwordFeedbackRoutes } from './password-feedback/routes';
import { PORTAL_PUBLIC_ROUTES } from './route-conventions';
import { passwordRoutes } from './security/password-routes';
import { recoveryCodeRoutes } from './security/recovery-code-routes';
import { sessionsRoutes } from './security/sessions-routes';
import { stolenRoutes } from './security/stolen-routes';
import { twoStepRoutes } from './security/two-step-routes';
import { passwordRequiredRoutes } from './sign-in/password-required';
import { signInRoutes } from './sign-in/routes';
import { answerUnknownPagesWithHtml } from './web/not-found-page';
import { setPageErrorHandler } from './web/page-errors';
import { portalWeb } from './web/web-plugin';

export interface PortalAppOptions {
  config: PortalConfig;
  /** Tests move time; everything else uses the system clock. */
  clock?: Clock | undefined;
}

/**
 * The account portal as a fastify plugin, in three tiers: infrastructure (docs, metrics, health,
 * errors, then the browser plumbing: forms, the encrypted session cookie, CSRF, rate limits,
 * assets), the application (auth's client, the pages' strings: see `application.ts`), then the
 * pages, one route plugin per capability, in a context whose error handler answers a refused
 * form with a page. It never listens; `server.ts` does.
 */
export async function portalApp(app: FastifyInstance, { config, clock }: PortalAppOptions): Promise<void> {
  await app.register(serviceKit, {
    service: 'account-portal',
    title: 'Account portal',
    description:
      "The customer's pages: sign in, unlock, reset a password, freeze a stolen account, sign out. Pages, and one JSON endpoint for the pages' own script (live password feedback).",
    version: '0.1.0',
    errorPrefix: 'PORTAL',
    publicRoutes: PORTAL_PUBLIC_ROUTES,
    // The portal keeps no database or broker: it is ready when it runs.
    readiness: {},
    sharedMetrics: [],
    operations: config.operations,
  });
  // Before the session plugin's hooks, so the 404 page's CSRF secret is saved with the session.
  answerUnknownPagesWithHtml(app, () => portalOf(app));
  await app.register(portalWeb, { config });

  await app.register(portalApplication, { config, clock: clock ?? systemClock });

  await app.register(async (pages) => {
    setPageErrorHandler(pages);
    await pages.register(signInRoutes);
    await pages.register(passwordRequiredRoutes);
    await pages.register(emailLinkRoutes);
    await pages.register(accountRoutes);
    await pages.register(twoStepRoutes);
    await pages.register(recoveryCodeRoutes);
    await pages.register(passwordRoutes);
    await pages.register(sessionsRoutes);
    await pages.register(stolenRoutes);
    await pages.register(languageRoutes);
    await pages.register(helpRoutes);
    await pages.register(caseRoutes);
    await pages.register(satisfactionRoutes);
    await pages.register(passkeyRoutes);
    await pages.register(confirmationRoutes);
  });
  // The scripts' JSON endpoints answer their errors in JSON (the kit's handler), not as pages.
  await app.register(passwordFeedbackRoutes);
  await app.register(passkeyOptionRoutes);
}
