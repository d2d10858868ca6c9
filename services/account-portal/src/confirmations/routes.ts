import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { portalOf } from '../application';
import { MAX_PASSKEY_RESPONSE_LENGTH, postedPasskey } from '../passkeys/ceremony-session';
import { CONFIRMATION_ROUTES, formPost, PAGE_PATHS, ROUTE_DEPENDENCIES } from '../route-conventions';
import { sessionEndedReply, sessionGone, signedInOrReply } from '../security/signed-in';
import { clientContextOf } from '../web/client-context';
import { csrfBody, formText } from '../web/forms';
import type { SafeHtml } from '../web/html';
import { notice } from '../web/layout';
import { pageContextOf, sendPage } from '../web/render';
import type { SignedInSession } from '../web/session';
import { approvedPage, confirmationPath, notFoundBody, pendingPage, settledPage } from './pages';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const params = z.object({ confirmationId: z.string().max(64) });
const approveForm = z.object({
  ...csrfBody,
  code: formText(16),
  passkeyResponse: formText(MAX_PASSKEY_RESPONSE_LENGTH),
});
const refuseForm = z.object(csrfBody);

/**
 * The payment confirmation page (`/confirmations/<id>`, the `portalPath` auth gives the wallet):
 * the payment in the customer's language, approved with a passkey (its ceremony's challenge is
 * derived from the payment's details: dynamic linking) or an authenticator code, or refused. The
 * customer must be signed in (sign-in comes back here); every call carries their own access
 * token, so another account's confirmation is auth's 404 and this page's 404, never its details.
 */
export const confirmationRoutes = fp(
  async (app: FastifyInstance) => {
    const portal = portalOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const form = formPost(app, portal.config.rateLimitPerMinute);
    const pageOf = (request: FastifyRequest, reply: FastifyReply, id: string) =>
      pageContextOf(request, reply, portal, confirmationPath(id));
    const contextOf = (request: FastifyRequest, reply: FastifyReply) =>
      clientContextOf(request, reply, portal.cookies, portal.config.secureCookies);
    const notFound = (request: FastifyRequest, reply: FastifyReply, id: string) => {
      const page = pageOf(request, reply, UUID.test(id) ? id : '');
      return sendPage(reply, page, page.t('confirmations.notFoundTitle'), notFoundBody(page), 404);
    };
    const unavailable = (request: FastifyRequest, reply: FastifyReply, id: string) => {
      const page = pageOf(request, reply, id);
      return sendPage(reply, page, page.t('confirmations.title'), notice('alert', page.t('common.unavailable')), 503);
    };

    /** The confirmation's page as auth says it is now, with `message` on top when it is still pending. */
    const sendConfirmation = async (
      request: FastifyRequest,
      reply: FastifyReply,
      session: SignedInSession,
      id: string,
      input: { message?: SafeHtml; status?: number } = {},
    ) => {
      const answer = await portal.confirmations.getConfirmation({
        bearer: session.accessToken,
        params: { id },
        requestId: request.id,
      });
      if (sessionGone(answer)) return sessionEndedReply(request, reply);
      if (answer.outcome === 'refused' && answer.status === 404) return notFound(request, reply, id);
      if (answer.outcome !== 'ok') return unavailable(request, reply, id);
      const page = pageOf(request, reply, id);
      const view = answer.body;
      if (view.status !== 'pending') {
        return sendPage(reply, page, page.t('confirmations.title'), settledPage(page, view), input.status ?? 200);
      }
      return sendPage(
        reply,
        page,
        page.t('confirmations.title'),
        pendingPage(page, view, input.message),
        input.status ?? 200,
      );
    };

    routes.get(CONFIRMATION_ROUTES.confirmation, { schema: { hide: true, params } }, async (request, reply) => {
      const id = request.params.confirmationId;
      if (!UUID.test(id)) return notFound(request, reply, id);
      if (!request.session.get('signedIn')) {
        // Sign in first, then back here (the id is not secret: it opens nothing without the account).
        request.session.set('returnTo', confirmationPath(id));
        request.session.set('flash', 'signInToConfirm');
        return reply.redirect(PAGE_PATHS.signIn, 303);
      }
      const session = await signedInOrReply(portal, request, reply);
      if (!session) return reply;
      return sendConfirmation(request, reply, session, id);
    });

    routes.post(
      CONFIRMATION_ROUTES.approve,
      { ...form, schema: { hide: true, params, body: approveForm } },
      async (request, reply) => {
        const id = request.params.confirmationId;
        if (!UUID.test(id)) return notFound(request, reply, id);
        const session = await signedInOrReply(portal, request, reply);
        if (!session) return reply;
        const page = pageOf(request, reply, id);
        const again = (key: string, status: number) =>
          sendConfirmation(request, reply, session, id, { message: notice('alert', page.t(key)), status });
        const passkey = postedPasskey(request, request.body.passkeyResponse, 'payment_confirmation', id);
        if (passkey.kind === 'expired') return again('passkeys.errors.expired', 400);
        if (passkey.kind === 'malformed') return again('passkeys.errors.failed', 400);
        const code = request.body.code?.replace(/\s/g, '');
        if (passkey.kind === 'none' && !(code && /^\d{6}$/.test(code))) return again('confirmations.codeMissing', 400);
        const answer = await portal.confirmations.approveConfirmation({
          bearer: session.accessToken,
          params: { id },
          body: {
            ...(passkey.kind === 'proof' ? { passkey: passkey.proof } : { totpCode: code }),
            context: contextOf(request, reply),
          },
          requestId: request.id,
        });
        if (answer.outcome === 'ok') {
          const view = await portal.confirmations.getConfirmation({
            bearer: session.accessToken,
            params: { id },
            requestId: request.id,
          });
          if (view.outcome !== 'ok') return unavailable(request, reply, id);
          // The token auth answered is dropped here: the wallet collects its own from auth.
          return sendPage(reply, page, page.t('confirmations.approvedTitle'), approvedPage(page, view.body));
        }
        if (sessionGone(answer)) return sessionEndedReply(request, reply);
        if (answer.outcome === 'unavailable') return unavailable(request, reply, id);
        switch (answer.code) {
          case 'AUTH_SECOND_FACTOR_INVALID':
            return again('confirmations.codeWrong', 401);
          case 'AUTH_PASSKEY_REJECTED':
            return again('passkeys.errors.refused', 401);
          case 'AUTH_PASSKEY_CHALLENGE_INVALID':
            return again('passkeys.errors.expired', 400);
          case 'AUTH_CONFIRMATION_NOT_FOUND':
            return notFound(request, reply, id);
          case 'AUTH_CONFIRMATION_NOT_PENDING':
          case 'AUTH_CONFIRMATION_EXPIRED':
            // Approved, refused or expired meanwhile: the page says which.
            return reply.redirect(confirmationPath(id), 303);
          default:
            return again(answer.status === 429 ? 'common.rateLimited' : 'confirmations.codeMissing', answer.status);
        }
      },
    );

    routes.post(
      CONFIRMATION_ROUTES.refuse,
      { ...form, schema: { hide: true, params, body: refuseForm } },
      async (request, reply) => {
        const id = request.params.confirmationId;
        if (!UUID.test(id)) return notFound(request, reply, id);
        const session = await signedInOrReply(portal, request, reply);
        if (!session) return reply;
        const answer = await portal.confirmations.refuseConfirmation({
          bearer: session.accessToken,
          params: { id },
          body: { context: contextOf(request, reply) },
          requestId: request.id,
        });
        if (sessionGone(answer)) return sessionEndedReply(request, reply);
        if (answer.outcome === 'refused' && answer.status === 404) return notFound(request, reply, id);
        // Refused now, or no longer pending (409, 410): the page says what became of it.
        if (answer.outcome === 'ok' || answer.outcome === 'refused') return reply.redirect(confirmationPath(id), 303);
        return unavailable(request, reply, id);
      },
    );
  },
  { name: 'portal-confirmation-routes', dependencies: ROUTE_DEPENDENCIES },
);
