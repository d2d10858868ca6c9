import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PortalApplication } from '../application';
import { PAGE_PATHS, SCRIPT_PATHS } from '../route-conventions';
import { html } from './html';
import { layout } from './layout';
import { pageContextOf, pageHeaders } from './render';

/** Paths that are APIs, not pages: an unknown one keeps the kit's JSON 404. */
const API_PREFIXES = ['/docs', '/metrics', '/healthz', '/readyz', '/v1/', '/internal/', ...Object.values(SCRIPT_PATHS)];

/** A browser asking for a page: GET or HEAD, HTML accepted, outside the API paths. */
const wantsPage = (request: FastifyRequest): boolean =>
  (request.method === 'GET' || request.method === 'HEAD') &&
  (request.headers.accept ?? '').includes('text/html') &&
  !API_PREFIXES.some((prefix) => request.url.startsWith(prefix));

/**
 * Answers a browser's unknown address with a page in the customer's language (a link back to
 * sign-in, the switcher) instead of the kit's JSON 404, which stays for API paths and for
 * callers that do not take HTML. An onSend hook, because the kit owns the not-found handler;
 * added before the session plugin's own onSend, so the page's CSRF secret is saved with the
 * session. `portal` is looked up at the first 404, once the application tier exists.
 */
export function answerUnknownPagesWithHtml(app: FastifyInstance, portal: () => PortalApplication): void {
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload) => {
    if (!request.is404 || reply.statusCode !== 404 || !wantsPage(request)) return payload;
    const deps = portal();
    const page = pageContextOf(request, reply, deps, request.url.split('?')[0] ?? '/');
    const body = html`<p>${page.t('notFound.body')}</p>
<p><a class="button" href="${PAGE_PATHS.signIn}">${page.t('notFound.home')}</a></p>`;
    reply.headers(pageHeaders(page));
    return layout(page, page.t('notFound.title'), body);
  });
}
