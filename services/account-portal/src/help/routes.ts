import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { portalOf } from '../application';
import { PAGE_PATHS, ROUTE_DEPENDENCIES } from '../route-conventions';
import { pageContextOf, sendPage } from '../web/render';
import { helpPage } from './help-pages';

/**
 * The help page, open to anyone (the sign-in page links to its guide). It asks no service: whether
 * someone is signed in only changes which way to support it offers first.
 */
export const helpRoutes = fp(
  async (app: FastifyInstance) => {
    const portal = portalOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.get(PAGE_PATHS.help, { schema: { hide: true } }, async (request, reply) => {
      const page = pageContextOf(request, reply, portal, PAGE_PATHS.help);
      return sendPage(reply, page, page.t('help.title'), helpPage(page, portal.config.support));
    });
  },
  { name: 'portal-help-routes', dependencies: ROUTE_DEPENDENCIES },
);
