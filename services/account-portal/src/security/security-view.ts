import { PORTAL_PATHS } from '@wallet-guard/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PortalApplication } from '../application';
import type { SafeHtml } from '../web/html';
import { notice } from '../web/layout';
import { pageContextOf, sendPage } from '../web/render';
import type { SignedInSession } from '../web/session';
import { RECENT_ACTIVITY_LIMIT } from './activity-pages';
import { securityPage } from './pages';
import { sessionEndedReply, sessionGone } from './signed-in';

/**
 * Sends the security page (two-step verification, passkeys, password, sessions, recent activity) with
 * `message` on top and `status`: auth's answers are fetched at once; a session auth ended goes to sign-in,
 * auth not answering is the 503 page.
 */
export async function sendSecurityPage(
  portal: PortalApplication,
  request: FastifyRequest,
  reply: FastifyReply,
  session: SignedInSession,
  input: { message?: SafeHtml | undefined; status?: number } = {},
): Promise<FastifyReply> {
  const call = { bearer: session.accessToken, requestId: request.id };
  const [twoStep, sessions, activity, passkeys] = await Promise.all([
    portal.auth.twoFactorStatus(call),
    portal.auth.listSessions(call),
    portal.auth.ownSecurityEvents({ ...call, query: { limit: RECENT_ACTIVITY_LIMIT } }),
    portal.auth.listPasskeys(call),
  ]);
  if (sessionGone(twoStep) || sessionGone(sessions) || sessionGone(activity) || sessionGone(passkeys)) {
    return sessionEndedReply(request, reply);
  }
  const page = pageContextOf(request, reply, portal, PORTAL_PATHS.security);
  if (twoStep.outcome !== 'ok' || sessions.outcome !== 'ok' || activity.outcome !== 'ok' || passkeys.outcome !== 'ok') {
    return sendPage(reply, page, page.t('security.title'), notice('alert', page.t('common.unavailable')), 503);
  }
  const view = {
    twoStep: twoStep.body,
    sessions: sessions.body.items,
    activity: activity.body.items,
    passkeys: passkeys.body.items,
  };
  return sendPage(
    reply,
    page,
    page.t('security.title'),
    securityPage(page, view, session.sessionId, input.message),
    input.status ?? 200,
  );
}
