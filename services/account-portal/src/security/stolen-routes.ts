import { PORTAL_PATHS } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { portalOf } from '../application';
import { formPost, PAGE_PATHS, ROUTE_DEPENDENCIES } from '../route-conventions';
import { clientContextOf } from '../web/client-context';
import { csrfBody } from '../web/forms';
import { html } from '../web/html';
import { notice } from '../web/layout';
import { pageContextOf, sendPage } from '../web/render';
import { sessionEndedReply, sessionGone, signedInOrReply } from './signed-in';

/**
 * "My account was stolen" from the security page: auth freezes the account in one call (every
 * session ends, this one too), so the cookie is cleared and the page says what happens next.
 */
export const stolenRoutes = fp(
  async (app: FastifyInstance) => {
    const portal = portalOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.post(
      PAGE_PATHS.freezeOwnAccount,
      { ...formPost(app, portal.config.rateLimitPerMinute), schema: { hide: true, body: z.object(csrfBody) } },
      async (request, reply) => {
        const session = await signedInOrReply(portal, request, reply);
        if (!session) return reply;
        const answer = await portal.auth.freezeOwnAccount({
          bearer: session.accessToken,
          body: { context: clientContextOf(request, reply, portal.cookies, portal.config.secureCookies) },
          requestId: request.id,
        });
        if (sessionGone(answer)) return sessionEndedReply(request, reply);
        if (answer.outcome !== 'ok') {
          const page = pageContextOf(request, reply, portal, PORTAL_PATHS.security);
          return sendPage(reply, page, page.t('security.title'), notice('alert', page.t('common.unavailable')), 503);
        }
        // Auth ended this session with the others: the cookie is worth nothing now.
        request.session.regenerate();
        const page = pageContextOf(request, reply, portal, PAGE_PATHS.signIn);
        const body = html`${notice('status', page.t('freeze.done'))}<p>${page.t('freeze.next')}</p>`;
        return sendPage(reply, page, page.t('freeze.doneTitle'), body);
      },
    );
  },
  { name: 'portal-stolen-routes', dependencies: ROUTE_DEPENDENCIES },
);
