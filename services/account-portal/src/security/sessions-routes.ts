import { PORTAL_PATHS } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { portalOf } from '../application';
import { formPost, PAGE_PATHS, ROUTE_DEPENDENCIES } from '../route-conventions';
import { csrfBody } from '../web/forms';
import { notice } from '../web/layout';
import { pageContextOf, sendPage } from '../web/render';
import { sessionEndedReply, sessionGone, signedInOrReply } from './signed-in';

const revokeForm = z.object({ ...csrfBody, sessionId: z.string().max(64).optional() });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ending sessions from the security page: one other session, or every other one. Auth's
 * revoke-all ends this one too, so "every other" ends them one by one from auth's list, never
 * this browser's (which signs out on the account page).
 */
export const sessionsRoutes = fp(
  async (app: FastifyInstance) => {
    const portal = portalOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const form = { ...formPost(app, portal.config.rateLimitPerMinute), schema: { hide: true, body: revokeForm } };
    const unavailable = (request: FastifyRequest, reply: FastifyReply) => {
      const page = pageContextOf(request, reply, portal, PORTAL_PATHS.security);
      return sendPage(reply, page, page.t('security.title'), notice('alert', page.t('common.unavailable')), 503);
    };

    routes.post(PAGE_PATHS.sessionRevoke, form, async (request, reply) => {
      const session = await signedInOrReply(portal, request, reply);
      if (!session) return reply;
      const id = request.body.sessionId;
      // This browser's own session is not ended here (sign-out is), nor anything not a session id.
      if (!id || !UUID.test(id) || id === session.sessionId) return reply.redirect(PORTAL_PATHS.security, 303);
      const answer = await portal.auth.endSession({
        bearer: session.accessToken,
        params: { id },
        requestId: request.id,
      });
      if (sessionGone(answer)) return sessionEndedReply(request, reply);
      // 404: already ended (or never this account's), which is what was asked.
      if (answer.outcome === 'ok' || (answer.outcome === 'refused' && answer.status === 404)) {
        request.session.set('securityFlash', 'sessionRevoked');
        return reply.redirect(PORTAL_PATHS.security, 303);
      }
      return unavailable(request, reply);
    });

    routes.post(PAGE_PATHS.sessionsRevokeOthers, form, async (request, reply) => {
      const session = await signedInOrReply(portal, request, reply);
      if (!session) return reply;
      const call = { bearer: session.accessToken, requestId: request.id };
      const list = await portal.auth.listSessions(call);
      if (sessionGone(list)) return sessionEndedReply(request, reply);
      if (list.outcome !== 'ok') return unavailable(request, reply);
      const others = list.body.items.filter((s) => !s.current && s.id !== session.sessionId);
      const answers = await Promise.all(others.map((s) => portal.auth.endSession({ ...call, params: { id: s.id } })));
      if (answers.some(sessionGone)) return sessionEndedReply(request, reply);
      const failed = answers.some((a) => a.outcome === 'unavailable' || (a.outcome === 'refused' && a.status !== 404));
      if (failed) return unavailable(request, reply);
      request.session.set('securityFlash', 'othersRevoked');
      return reply.redirect(PORTAL_PATHS.security, 303);
    });
  },
  { name: 'portal-sessions-routes', dependencies: ROUTE_DEPENDENCIES },
);
