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
import { csrfField, notice } from '../web/layout';
import { pageContextOf, sendPage } from '../web/render';
import { checkSession, signOutOf } from './current-session';

/** The signed-in page (who is signed in, and sign-out) and sign-out itself. */
export const accountRoutes = fp(
  async (app: FastifyInstance) => {
    const portal = portalOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.get(PAGE_PATHS.account, { schema: { hide: true } }, async (request, reply) => {
      const stored = request.session.get('signedIn');
      if (!stored) return reply.redirect(PAGE_PATHS.signIn, 303);
      if (stored.restriction) return reply.redirect(PAGE_PATHS.passwordRequired, 303);
      const check = await checkSession(portal.auth, {
        session: stored,
        now: portal.clock(),
        context: clientContextOf(request, reply, portal.cookies, portal.config.secureCookies),
        requestId: request.id,
      });
      if (check.kind === 'ended') {
        request.session.regenerate();
        request.session.set('flash', 'sessionEnded');
        return reply.redirect(PAGE_PATHS.signIn, 303);
      }
      const page = pageContextOf(request, reply, portal, PAGE_PATHS.account);
      if (check.kind === 'unavailable') {
        return sendPage(reply, page, page.t('account.title'), notice('alert', page.t('common.unavailable')), 503);
      }
      if (check.kind === 'refreshed') request.session.set('signedIn', check.session);
      const body = html`<dl class="who"><dt>${page.t('account.signedInAs')}</dt><dd>${check.session.email}</dd></dl>
<p><a href="${PORTAL_PATHS.security}">${page.t('account.security')}</a></p>
<p><a href="${PAGE_PATHS.help}">${page.t('account.help')}</a></p>
<form method="post" action="${PAGE_PATHS.signOut}">
${csrfField(page)}
<button type="submit">${page.t('account.signOut')}</button>
</form>`;
      return sendPage(reply, page, page.t('account.title'), body);
    });

    routes.post(
      PAGE_PATHS.signOut,
      { ...formPost(app, portal.config.rateLimitPerMinute), schema: { hide: true, body: z.object(csrfBody) } },
      async (request, reply) => {
        const stored = request.session.get('signedIn');
        // Auth may be down: the cookie is cleared anyway, and its tokens die with their expiry.
        if (stored) await signOutOf(portal.auth, stored, request.id);
        request.session.regenerate();
        request.session.set('flash', 'signedOut');
        return reply.redirect(PAGE_PATHS.signIn, 303);
      },
    );
  },
  { name: 'portal-account-routes', dependencies: ROUTE_DEPENDENCIES },
);
