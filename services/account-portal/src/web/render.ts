import type { SupportedLocale } from '@wallet-guard/i18n';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chooseLocale } from '../i18n/locale';
import type { Translate } from '../i18n/translator';
import type { CookieNames } from './cookies';
import type { SafeHtml } from './html';
import { layout, PAGE_CSP } from './layout';
import type { PageContext } from './page-context';

/**
 * The context of the page answering `request`: its language (the switcher's cookie, then the
 * signed-in account's language, then Accept-Language), a CSRF token for its forms, and whether someone is signed in.
 */
export function pageContextOf(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: { translators: (locale: SupportedLocale) => Translate; cookies: CookieNames },
  path: string,
): PageContext {
  const locale = chooseLocale({
    cookie: request.cookies[deps.cookies.language],
    account: request.session.get('signedIn')?.locale,
    acceptLanguage: request.headers['accept-language'],
  });
  return {
    locale,
    t: deps.translators(locale),
    csrf: reply.generateCsrf(),
    path,
    signedIn: request.session.get('signedIn') !== undefined,
  };
}

/** The headers of every page: the strict CSP, its language, HTML. The kit's `cache-control: no-store` stays. */
export const pageHeaders = (page: PageContext): Record<string, string> => ({
  'content-security-policy': PAGE_CSP,
  'content-language': page.locale,
  vary: 'accept-language, cookie',
  'content-type': 'text/html; charset=utf-8',
});

/** Sends a whole page under the strict CSP. */
export function sendPage(
  reply: FastifyReply,
  page: PageContext,
  title: string,
  body: SafeHtml,
  status = 200,
): FastifyReply {
  return reply
    .status(status)
    .headers(pageHeaders(page))
    .send(layout(page, title, body));
}
