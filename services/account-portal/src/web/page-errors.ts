import { AppError } from '@wallet-guard/http';
import type { FastifyError, FastifyInstance } from 'fastify';
import { portalOf } from '../application';
import { portalErrors } from '../errors';
import { notice } from './layout';
import { pageContextOf, sendPage } from './render';

/** @fastify/csrf-protection's refusals: no secret in the session, or a token that does not match it. */
const CSRF_CODES = new Set(['FST_CSRF_MISSING_SECRET', 'FST_CSRF_INVALID_TOKEN']);

/**
 * The error handler of the page routes (set in their encapsulated context, in front of the
 * service kit's): a refused CSRF token (`PORTAL_CSRF_REJECTED`) and the portal's rate limit
 * (`PORTAL_RATE_LIMITED`) answer a page in the customer's language with what to do next; every
 * other error goes on to the kit's JSON handler.
 */
export function setPageErrorHandler(app: FastifyInstance): void {
  const portal = portalOf(app);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const refusal = CSRF_CODES.has(error.code)
      ? portalErrors.csrfRejected()
      : error instanceof AppError && error.code === 'PORTAL_RATE_LIMITED'
        ? error
        : undefined;
    if (!refusal) throw error;
    request.log.info({ code: refusal.code }, 'form refused');
    reply.headers(refusal.headers);
    reply.header('x-error-code', refusal.code);
    const page = pageContextOf(request, reply, portal, request.routeOptions.url ?? '/');
    const key = refusal.code === 'PORTAL_CSRF_REJECTED' ? 'common.csrf' : 'common.rateLimited';
    return sendPage(reply, page, page.t('layout.product'), notice('alert', page.t(key)), refusal.statusCode);
  });
}
