import type { AuthPasskeyProof, AuthTokenPair } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { portalOf } from '../application';
import { RATING_RETURN_TO } from '../cases/satisfaction-form';
import { MAX_PASSKEY_RESPONSE_LENGTH, postedPasskey } from '../passkeys/ceremony-session';
import { formPost, PAGE_PATHS, ROUTE_DEPENDENCIES } from '../route-conventions';
import { clientContextOf } from '../web/client-context';
import { csrfBody, formText, secondFactorOf } from '../web/forms';
import { html } from '../web/html';
import { csrfField, notice } from '../web/layout';
import { pageContextOf, sendPage } from '../web/render';
import { alertOf, refusedMessage, secondStepPage, signInPage } from './pages';
import { signInSecondStep, signInWithPasskey, signInWithPassword } from './sign-in';
import { sessionAfterSignIn } from './signed-in';

const passwordForm = z.object({ ...csrfBody, email: formText(254), password: formText(1024) });
const passkeyResponse = formText(MAX_PASSKEY_RESPONSE_LENGTH);
const secondStepForm = z.object({
  ...csrfBody,
  code: formText(16),
  recoveryCode: formText(64),
  emailCode: formText(16),
  passkeyResponse,
});
const passkeyForm = z.object({ ...csrfBody, passkeyResponse });

/** Where a sign-in may go back to: a payment confirmation's page (set by its route), or a rating form (`RATING_RETURN_TO`). */
const RETURN_TO = /^\/confirmations\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const forgotForm = z.object({ ...csrfBody, email: formText(254) });

/** Sign-in (password, then the second step when auth asks for it) and the forgotten-password request. */
export const signInRoutes = fp(
  async (app: FastifyInstance) => {
    const portal = portalOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const form = formPost(app, portal.config.rateLimitPerMinute);
    const pageOf = (request: FastifyRequest, reply: FastifyReply, path: string) =>
      pageContextOf(request, reply, portal, path);
    const contextOf = (request: FastifyRequest, reply: FastifyReply) =>
      clientContextOf(request, reply, portal.cookies, portal.config.secureCookies);
    /**
     * Auth signed someone in: a fresh session (no fixation) with its tokens, then the page that
     * sent them to sign in (a payment to confirm), else the account page.
     */
    const signedIn = async (
      request: FastifyRequest,
      reply: FastifyReply,
      pair: AuthTokenPair,
      email?: string,
      methods: readonly string[] = [],
    ) => {
      const now = portal.clock();
      const returnTo = request.session.get('returnTo');
      request.session.regenerate();
      const session = await sessionAfterSignIn(portal.auth, {
        pair,
        ...(email ? { email } : {}),
        now,
        requestId: request.id,
      });
      if (pair.restriction) {
        // A leaked password: the session can only change it, so that page is the only place to go.
        const factors = methods.filter((m) => m !== 'email_code');
        request.session.set('signedIn', { ...session, restriction: { kind: pair.restriction, methods: factors } });
        return reply.redirect(PAGE_PATHS.passwordRequired, 303);
      }
      request.session.set('signedIn', session);
      const mayReturn = returnTo && (RETURN_TO.test(returnTo) || RATING_RETURN_TO.test(returnTo));
      return reply.redirect(mayReturn ? returnTo : PAGE_PATHS.account, 303);
    };

    routes.get(PAGE_PATHS.home, { schema: { hide: true } }, async (request, reply) =>
      reply.redirect(request.session.get('signedIn') ? PAGE_PATHS.account : PAGE_PATHS.signIn, 303),
    );

    routes.get(PAGE_PATHS.signIn, { schema: { hide: true } }, async (request, reply) => {
      if (request.session.get('signedIn')) return reply.redirect(PAGE_PATHS.account, 303);
      const page = pageOf(request, reply, PAGE_PATHS.signIn);
      const flash = request.session.get('flash');
      request.session.set('flash', undefined);
      const message = flash ? notice('status', page.t(`signIn.${flash}`)) : undefined;
      return sendPage(reply, page, page.t('signIn.title'), signInPage(page, { message }));
    });

    routes.post(PAGE_PATHS.signIn, { ...form, schema: { hide: true, body: passwordForm } }, async (request, reply) => {
      const page = pageOf(request, reply, PAGE_PATHS.signIn);
      const { email, password } = request.body;
      const title = page.t('signIn.title');
      if (!email || !password) {
        return sendPage(reply, page, title, signInPage(page, { message: alertOf(page, 'signIn.missing'), email }), 400);
      }
      const outcome = await signInWithPassword(portal.auth, {
        email,
        password,
        context: contextOf(request, reply),
        requestId: request.id,
      });
      switch (outcome.kind) {
        case 'signed-in':
          return signedIn(request, reply, outcome.pair, email);
        case 'second-step': {
          const returnTo = request.session.get('returnTo');
          request.session.regenerate();
          request.session.set('pendingSecondStep', { mfaToken: outcome.mfaToken, email, methods: outcome.methods });
          if (returnTo) request.session.set('returnTo', returnTo);
          return reply.redirect(PAGE_PATHS.secondStep, 303);
        }
        case 'refused':
          return sendPage(reply, page, title, signInPage(page, { message: refusedMessage(page), email }), 401);
        case 'rate-limited':
          return sendPage(
            reply,
            page,
            title,
            signInPage(page, { message: alertOf(page, 'signIn.rateLimited'), email }),
            429,
          );
        case 'unavailable':
          return sendPage(
            reply,
            page,
            title,
            signInPage(page, { message: alertOf(page, 'common.unavailable'), email }),
            503,
          );
      }
    });

    routes.get(PAGE_PATHS.secondStep, { schema: { hide: true } }, async (request, reply) => {
      const pending = request.session.get('pendingSecondStep');
      if (!pending) return reply.redirect(PAGE_PATHS.signIn, 303);
      const page = pageOf(request, reply, PAGE_PATHS.secondStep);
      return sendPage(reply, page, page.t('signIn.secondTitle'), secondStepPage(page, undefined, pending.methods));
    });

    routes.post(
      PAGE_PATHS.secondStep,
      { ...form, schema: { hide: true, body: secondStepForm } },
      async (request, reply) => {
        const page = pageOf(request, reply, PAGE_PATHS.secondStep);
        const title = page.t('signIn.secondTitle');
        const pending = request.session.get('pendingSecondStep');
        if (!pending) return reply.redirect(PAGE_PATHS.signIn, 303);
        const again = (key: string, status: number) =>
          sendPage(reply, page, title, secondStepPage(page, alertOf(page, key), pending.methods), status);
        // An e-mailed code's step takes that code only (auth offered nothing else).
        const byEmail = pending.methods?.includes('email_code') ?? false;
        const passkey = byEmail
          ? ({ kind: 'none' } as const)
          : postedPasskey(request, request.body.passkeyResponse, 'second_step');
        if (passkey.kind === 'expired') return again('passkeys.errors.expired', 400);
        if (passkey.kind === 'malformed') return again('passkeys.errors.failed', 400);
        const emailCode = request.body.emailCode?.replace(/\s/g, '');
        const proof: { emailCode?: string; code?: string; recoveryCode?: string; passkey?: AuthPasskeyProof } = byEmail
          ? emailCode
            ? { emailCode }
            : {}
          : passkey.kind === 'proof'
            ? { passkey: passkey.proof }
            : secondFactorOf(request.body);
        if (Object.keys(proof).length === 0) {
          return again(byEmail ? 'signIn.emailCode.missing' : 'signIn.secondMissing', 400);
        }
        const outcome = await signInSecondStep(portal.auth, {
          mfaToken: pending.mfaToken,
          ...proof,
          context: contextOf(request, reply),
          requestId: request.id,
        });
        switch (outcome.kind) {
          case 'signed-in':
            return signedIn(request, reply, outcome.pair, pending.email, pending.methods);
          case 'wrong-code':
            return again(byEmail ? 'signIn.emailCode.wrong' : 'signIn.wrongCode', 401);
          case 'passkey-refused':
            return again('passkeys.errors.refused', 401);
          case 'passkey-expired':
            return again('passkeys.errors.expired', 400);
          case 'start-again': {
            request.session.set('pendingSecondStep', undefined);
            const signIn = pageOf(request, reply, PAGE_PATHS.signIn);
            const message = alertOf(signIn, 'signIn.expired');
            return sendPage(reply, signIn, signIn.t('signIn.title'), signInPage(signIn, { message }), 401);
          }
          case 'unavailable':
            return again('common.unavailable', 503);
        }
      },
    );

    routes.post(
      PAGE_PATHS.passkeySignIn,
      { ...form, schema: { hide: true, body: passkeyForm } },
      async (request, reply) => {
        const page = pageOf(request, reply, PAGE_PATHS.signIn);
        const refuse = (key: string, status: number) =>
          sendPage(reply, page, page.t('signIn.title'), signInPage(page, { message: alertOf(page, key) }), status);
        const passkey = postedPasskey(request, request.body.passkeyResponse, 'sign_in');
        if (passkey.kind === 'none' || passkey.kind === 'malformed') return refuse('passkeys.errors.failed', 400);
        if (passkey.kind === 'expired') return refuse('passkeys.errors.expired', 400);
        const outcome = await signInWithPasskey(portal.auth, {
          passkey: passkey.proof,
          context: contextOf(request, reply),
          requestId: request.id,
        });
        switch (outcome.kind) {
          case 'signed-in':
            return signedIn(request, reply, outcome.pair);
          case 'refused':
            return refuse('passkeys.errors.signInRefused', 401);
          case 'expired':
            return refuse('passkeys.errors.expired', 400);
          case 'rate-limited':
            return refuse('signIn.rateLimited', 429);
          case 'unavailable':
            return refuse('common.unavailable', 503);
        }
      },
    );

    const forgotPage = (page: ReturnType<typeof pageOf>, message?: ReturnType<typeof notice>) =>
      html`${message ?? ''}<p>${page.t('forgot.intro')}</p>
<form method="post" action="${PAGE_PATHS.forgotPassword}" novalidate>
${csrfField(page)}
<label for="email">${page.t('common.email')}</label>
<input id="email" name="email" type="email" autocomplete="username" required maxlength="254">
<button type="submit">${page.t('forgot.submit')}</button>
</form>
<p><a href="${PAGE_PATHS.signIn}">${page.t('common.backToSignIn')}</a></p>`;

    routes.get(PAGE_PATHS.forgotPassword, { schema: { hide: true } }, async (request, reply) => {
      const page = pageOf(request, reply, PAGE_PATHS.forgotPassword);
      return sendPage(reply, page, page.t('forgot.title'), forgotPage(page));
    });

    routes.post(
      PAGE_PATHS.forgotPassword,
      { ...form, schema: { hide: true, body: forgotForm } },
      async (request, reply) => {
        const page = pageOf(request, reply, PAGE_PATHS.forgotPassword);
        const title = page.t('forgot.title');
        const email = request.body.email;
        if (!email) return sendPage(reply, page, title, forgotPage(page, alertOf(page, 'forgot.missing')), 400);
        const answer = await portal.auth.requestPasswordReset({
          body: { email, context: contextOf(request, reply) },
          requestId: request.id,
        });
        if (answer.outcome !== 'ok') {
          const key =
            answer.outcome === 'refused' && answer.status === 429 ? 'common.rateLimited' : 'common.unavailable';
          return sendPage(
            reply,
            page,
            title,
            forgotPage(page, alertOf(page, key)),
            answer.outcome === 'refused' ? 429 : 503,
          );
        }
        // The same words whether or not an account uses the address, like auth's 202.
        const body = html`${notice('status', page.t('forgot.sent'))}<p><a href="${PAGE_PATHS.signIn}">${page.t('common.backToSignIn')}</a></p>`;
        return sendPage(reply, page, title, body);
      },
    );
  },
  { name: 'portal-sign-in-routes', dependencies: ROUTE_DEPENDENCIES },
);
