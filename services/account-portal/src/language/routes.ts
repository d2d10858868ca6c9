import { PORTAL_PATHS } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import { isSupportedLocale } from '@wallet-guard/i18n';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { portalOf } from '../application';
import { formPost, PAGE_PATHS, ROUTE_DEPENDENCIES } from '../route-conventions';
import { cookieAttributes } from '../web/cookies';
import { csrfBody, formText } from '../web/forms';

/** A year: the choice outlives sessions, and a new choice replaces it. */
const LANGUAGE_MAX_AGE_SECONDS = 365 * 24 * 3600;

/** The pages the switcher may come back to: only our own, so it can never send anyone elsewhere. */
const BACK_TO = new Set<string>([
  ...Object.values(PAGE_PATHS),
  PORTAL_PATHS.unlock,
  PORTAL_PATHS.resetPassword,
  PORTAL_PATHS.freeze,
  PORTAL_PATHS.cases,
]);

/** One request's page (`/cases/CASE-000123`): its number is all the path may hold. */
const CASE_PAGE = /^\/cases\/CASE-\d{1,12}$/;

/** The language switcher: a form on every page, remembered in a cookie, then back to that page. */
export const languageRoutes = fp(
  async (app: FastifyInstance) => {
    const portal = portalOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();
    routes.post(
      PAGE_PATHS.language,
      {
        ...formPost(app, portal.config.rateLimitPerMinute),
        schema: { hide: true, body: z.object({ ...csrfBody, lang: formText(16), back: formText(64) }) },
      },
      async (request, reply) => {
        const { lang, back } = request.body;
        if (isSupportedLocale(lang)) {
          reply.setCookie(portal.cookies.language, lang, {
            ...cookieAttributes(portal.config.secureCookies),
            maxAge: LANGUAGE_MAX_AGE_SECONDS,
          });
        }
        const ours = back !== undefined && (BACK_TO.has(back) || CASE_PAGE.test(back));
        return reply.redirect(ours && back ? back : PAGE_PATHS.home, 303);
      },
    );
  },
  { name: 'portal-language-routes', dependencies: ROUTE_DEPENDENCIES },
);
