import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { portalOf } from '../application';
import { portalErrors } from '../errors';
import { chooseLocale } from '../i18n/locale';
import { formPost, ROUTE_DEPENDENCIES, SCRIPT_PATHS } from '../route-conventions';
import { csrfBody } from '../web/forms';
import { feedbackOf } from './feedback';

/**
 * The script calls this about once per pause in typing, so it gets a budget of its own, a few
 * times the form posts': enough for a person, still a cap on using the portal as a free
 * password-strength oracle against auth.
 */
const CHECKS_PER_FORM_POST = 4;

const CSRF_CODES = new Set(['FST_CSRF_MISSING_SECRET', 'FST_CSRF_INVALID_TOKEN']);

/**
 * `POST /password-feedback` (JSON, for `portal.js` only): auth's password policy verdict on what
 * the customer is typing on the reset page, in their language. Nothing is stored and the
 * password is never logged; the CSRF token of the page's form is required like on every post.
 * Errors are JSON (`PORTAL_CSRF_REJECTED` 403, `PORTAL_RATE_LIMITED` 429,
 * `PORTAL_UPSTREAM_UNAVAILABLE` 503): the script then stays quiet, and the submit's answer stays.
 */
export const passwordFeedbackRoutes = fp(
  async (app: FastifyInstance) => {
    const portal = portalOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const { preValidation } = formPost(app, portal.config.rateLimitPerMinute);

    routes.post(
      SCRIPT_PATHS.passwordFeedback,
      {
        preValidation,
        config: { rateLimit: { max: portal.config.rateLimitPerMinute * CHECKS_PER_FORM_POST, timeWindow: 60_000 } },
        errorHandler: (error: FastifyError) => {
          // The kit's JSON handler answers, with the portal's code rather than the plugin's.
          if (CSRF_CODES.has(error.code)) throw portalErrors.csrfRejected();
          throw error;
        },
        schema: {
          hide: true,
          body: z.object({ ...csrfBody, password: z.string().min(1).max(1024) }),
        },
      },
      async (request) => {
        const answer = await portal.auth.checkPassword({
          body: { password: request.body.password },
          requestId: request.id,
        });
        if (answer.outcome !== 'ok') {
          request.log.warn({ outcome: answer.outcome, status: answer.status }, 'password check failed');
          throw portalErrors.authUnavailable();
        }
        const locale = chooseLocale({
          cookie: request.cookies[portal.cookies.language],
          account: request.session.get('signedIn')?.locale,
          acceptLanguage: request.headers['accept-language'],
        });
        return feedbackOf(answer.body.violations, portal.translators(locale));
      },
    );
  },
  { name: 'portal-password-feedback-routes', dependencies: ROUTE_DEPENDENCIES },
);
