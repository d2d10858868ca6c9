import { PORTAL_PATHS } from '@wallet-guard/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { checkSession } from '../account/current-session';
import type { PortalApplication } from '../application';
import { PAGE_PATHS } from '../route-conventions';
import { clientContextOf } from '../web/client-context';
import { notice } from '../web/layout';
import { pageContextOf, sendPage } from '../web/render';
import type { SignedInSession } from '../web/session';

/**
 * The session of a signed-in page or form, checked with auth (introspection, one refresh): the
 * session to call auth with, or `undefined` once the reply is sent (sign-in page when nobody is
 * signed in or auth ended the session; a 503 page when auth does not answer).
 */
export async function signedInOrReply(
  portal: PortalApplication,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<SignedInSession | undefined> {
  const stored = request.session.get('signedIn');
  if (!stored) {
    await reply.redirect(PAGE_PATHS.signIn, 303);
    return undefined;
  }
  // A restricted session (a leaked password) may only change it: auth refuses it everything else.
  if (stored.restriction) {
    await reply.redirect(PAGE_PATHS.passwordRequired, 303);
    return undefined;
  }
  const check = await checkSession(portal.auth, {
    session: stored,
    now: portal.clock(),
    context: clientContextOf(request, reply, portal.cookies, portal.config.secureCookies),
    requestId: request.id,
  });
  if (check.kind === 'ended') {
    await sessionEndedReply(request, reply);
    return undefined;
  }
  if (check.kind === 'unavailable') {
    const page = pageContextOf(request, reply, portal, PORTAL_PATHS.security);
    await sendPage(reply, page, page.t('security.title'), notice('alert', page.t('common.unavailable')), 503);
    return undefined;
  }
  if (check.kind === 'refreshed') request.session.set('signedIn', check.session);
  return check.session;
}

/** Auth no longer honours the session (its access token refused): a fresh cookie, and the sign-in page says why. */
export function sessionEndedReply(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  request.session.regenerate();
  request.session.set('flash', 'sessionEnded');
  return reply.redirect(PAGE_PATHS.signIn, 303);
}

/** A refusal meaning auth no longer honours the access token itself: the session is over. */
export const sessionGone = (answer: { outcome: string; status?: number; code?: string | undefined }): boolean =>
  answer.outcome === 'refused' && answer.status === 401 && answer.code === 'AUTH_INVALID_ACCESS_TOKEN';
