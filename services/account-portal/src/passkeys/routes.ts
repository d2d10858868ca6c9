import { PORTAL_PATHS } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { portalOf } from '../application';
import { formPost, PAGE_PATHS, ROUTE_DEPENDENCIES } from '../route-conventions';
import { sendSecurityPage } from '../security/security-view';
import { sessionEndedReply, sessionGone, signedInOrReply } from '../security/signed-in';
import { clientContextOf } from '../web/client-context';
import { csrfBody, formText } from '../web/forms';
import type { SafeHtml } from '../web/html';
import { notice } from '../web/layout';
import { pageContextOf, sendPage } from '../web/render';
import type { SignedInSession } from '../web/session';
import { MAX_PASSKEY_RESPONSE_LENGTH, postedPasskey } from './ceremony-session';
import { PASSKEY_NAME_MAX_LENGTH, removeStepUpPage } from './passkey-pages';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Names longer than the field allows are cut, not refused: the browser's maxlength already did.
const name = formText(1024).transform((v) => v?.trim().slice(0, PASSKEY_NAME_MAX_LENGTH));
const addForm = z.object({
  ...csrfBody,
  name,
  // The password went with the options call (auth's check); it is not used again here.
  password: formText(1024),
  passkeyResponse: formText(MAX_PASSKEY_RESPONSE_LENGTH),
});
const renameForm = z.object({ ...csrfBody, passkeyId: formText(64), name });
const removeForm = z.object({ ...csrfBody, passkeyId: formText(64), password: formText(1024) });

/**
 * The security page's passkey forms: add (the browser's answer to the registration ceremony this
 * session started, see `option-routes.ts`), rename and remove. Every call carries the signed-in
 * customer's own access token, so auth answers for their passkeys only (another account's id is
 * its 404). Removing the last strong factor asks for the password when auth wants a recent sign-in.
 */
export const passkeyRoutes = fp(
  async (app: FastifyInstance) => {
    const portal = portalOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const form = formPost(app, portal.config.rateLimitPerMinute);
    const contextOf = (request: FastifyRequest, reply: FastifyReply) =>
      clientContextOf(request, reply, portal.cookies, portal.config.secureCookies);
    /** The security page again with `key` said on top. */
    const refuse = (
      request: FastifyRequest,
      reply: FastifyReply,
      session: SignedInSession,
      key: string,
      status: number,
    ) => {
      const page = pageContextOf(request, reply, portal, PORTAL_PATHS.security);
      return sendSecurityPage(portal, request, reply, session, { message: notice('alert', page.t(key)), status });
    };
    const done = (
      request: FastifyRequest,
      reply: FastifyReply,
      flash: 'passkeyAdded' | 'passkeyRenamed' | 'passkeyRemoved',
    ) => {
      request.session.set('securityFlash', flash);
      return reply.redirect(PORTAL_PATHS.security, 303);
    };
    const unavailable = (request: FastifyRequest, reply: FastifyReply) => {
      const page = pageContextOf(request, reply, portal, PORTAL_PATHS.security);
      return sendPage(reply, page, page.t('security.title'), notice('alert', page.t('common.unavailable')), 503);
    };

    routes.post(PAGE_PATHS.passkeyAdd, { ...form, schema: { hide: true, body: addForm } }, async (request, reply) => {
      const session = await signedInOrReply(portal, request, reply);
      if (!session) return reply;
      const passkey = postedPasskey(request, request.body.passkeyResponse, 'registration');
      if (passkey.kind === 'none' || passkey.kind === 'malformed') {
        return refuse(request, reply, session, 'passkeys.errors.failed', 400);
      }
      if (passkey.kind === 'expired') return refuse(request, reply, session, 'passkeys.errors.expired', 400);
      const { name: chosen } = request.body;
      const answer = await portal.auth.registerPasskey({
        bearer: session.accessToken,
        body: { ...passkey.proof, ...(chosen ? { name: chosen } : {}), context: contextOf(request, reply) },
        requestId: request.id,
      });
      if (answer.outcome === 'ok') return done(request, reply, 'passkeyAdded');
      if (sessionGone(answer)) return sessionEndedReply(request, reply);
      if (answer.outcome === 'unavailable') return unavailable(request, reply);
      switch (answer.code) {
        case 'AUTH_PASSKEY_ALREADY_REGISTERED':
          return refuse(request, reply, session, 'passkeys.errors.alreadyRegistered', 409);
        case 'AUTH_PASSKEY_CHALLENGE_INVALID':
          return refuse(request, reply, session, 'passkeys.errors.expired', 400);
        case 'AUTH_PASSKEY_REJECTED':
          return refuse(request, reply, session, 'passkeys.errors.registrationRefused', 401);
        default:
          return refuse(request, reply, session, 'passkeys.errors.failed', answer.status);
      }
    });

    routes.post(
      PAGE_PATHS.passkeyRename,
      { ...form, schema: { hide: true, body: renameForm } },
      async (request, reply) => {
        const session = await signedInOrReply(portal, request, reply);
        if (!session) return reply;
        const { passkeyId, name: chosen } = request.body;
        if (!passkeyId || !UUID.test(passkeyId))
          return refuse(request, reply, session, 'passkeys.errors.notFound', 404);
        if (!chosen) return refuse(request, reply, session, 'passkeys.errors.nameMissing', 400);
        const answer = await portal.auth.renamePasskey({
          bearer: session.accessToken,
          params: { id: passkeyId },
          body: { name: chosen },
          requestId: request.id,
        });
        if (answer.outcome === 'ok') return done(request, reply, 'passkeyRenamed');
        if (sessionGone(answer)) return sessionEndedReply(request, reply);
        if (answer.outcome === 'unavailable') return unavailable(request, reply);
        if (answer.status === 404) return refuse(request, reply, session, 'passkeys.errors.notFound', 404);
        return refuse(request, reply, session, 'passkeys.errors.nameMissing', 400);
      },
    );

    routes.post(
      PAGE_PATHS.passkeyRemove,
      { ...form, schema: { hide: true, body: removeForm } },
      async (request, reply) => {
        const session = await signedInOrReply(portal, request, reply);
        if (!session) return reply;
        const { passkeyId, password } = request.body;
        if (!passkeyId || !UUID.test(passkeyId))
          return refuse(request, reply, session, 'passkeys.errors.notFound', 404);
        const page = pageContextOf(request, reply, portal, PORTAL_PATHS.security);
        const prompt = (message?: SafeHtml) =>
          sendPage(reply, page, page.t('security.stepUp.title'), removeStepUpPage(page, { passkeyId, message }), 401);
        const answer = await portal.auth.removePasskey({
          bearer: session.accessToken,
          params: { id: passkeyId },
          body: { ...(password ? { password } : {}), context: contextOf(request, reply) },
          requestId: request.id,
        });
        if (answer.outcome === 'ok') return done(request, reply, 'passkeyRemoved');
        if (sessionGone(answer)) return sessionEndedReply(request, reply);
        if (answer.outcome === 'unavailable') return unavailable(request, reply);
        switch (answer.code) {
          case 'AUTH_REAUTHENTICATION_REQUIRED':
            return prompt();
          case 'AUTH_INVALID_CREDENTIALS':
            return prompt(notice('alert', page.t('security.stepUp.wrong')));
          case 'AUTH_PASSKEY_NOT_FOUND':
            return refuse(request, reply, session, 'passkeys.errors.notFound', 404);
          default:
            return refuse(request, reply, session, 'passkeys.errors.failed', answer.status);
        }
      },
    );
  },
  { name: 'portal-passkey-routes', dependencies: ROUTE_DEPENDENCIES },
);
