import { PORTAL_PATHS } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { portalOf } from '../application';
import { MAX_PASSKEY_RESPONSE_LENGTH, postedPasskey } from '../passkeys/ceremony-session';
import { formPost, PAGE_PATHS, ROUTE_DEPENDENCIES } from '../route-conventions';
import { clientContextOf } from '../web/client-context';
import { csrfBody, formText, secondFactorOf } from '../web/forms';
import { html } from '../web/html';
import { notice } from '../web/layout';
import { pageContextOf, sendPage } from '../web/render';
import { confirmAgainPage, enrolmentPage, recoveryCodesPage, stepUpPage } from './pages';
import { groupedSecret, qrCodeDataUri } from './qr-code';
import { sendSecurityPage } from './security-view';
import { sessionEndedReply, sessionGone, signedInOrReply } from './signed-in';

const startForm = z.object({ ...csrfBody, password: formText(1024) });
const confirmForm = z.object({ ...csrfBody, code: formText(16) });
const offForm = z.object({
  ...csrfBody,
  password: formText(1024),
  code: formText(16),
  recoveryCode: formText(64),
  passkeyResponse: formText(MAX_PASSKEY_RESPONSE_LENGTH),
});
/** Ten recovery codes as the page's hidden field carries them: letters, digits and dashes, space-separated. */
const downloadForm = z.object({
  ...csrfBody,
  codes: z
    .string()
    .max(400)
    .regex(/^[A-Za-z0-9 -]*$/),
});

/**
 * The security page's two-step verification: its state, turning it on (auth's secret as a QR
 * code drawn here and as text, confirmed with a code, then the recovery codes shown once with
 * download and print) and off (password and a code). When auth asks for a recent sign-in
 * (401 AUTH_REAUTHENTICATION_REQUIRED), the page asks for the password and sends it along.
 */
export const twoStepRoutes = fp(
  async (app: FastifyInstance) => {
    const portal = portalOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const form = formPost(app, portal.config.rateLimitPerMinute);
    const pageOf = (request: FastifyRequest, reply: FastifyReply, path: string) =>
      pageContextOf(request, reply, portal, path);
    const contextOf = (request: FastifyRequest, reply: FastifyReply) =>
      clientContextOf(request, reply, portal.cookies, portal.config.secureCookies);
    const unavailable = (request: FastifyRequest, reply: FastifyReply) => {
      const page = pageOf(request, reply, PORTAL_PATHS.security);
      return sendPage(reply, page, page.t('security.title'), notice('alert', page.t('common.unavailable')), 503);
    };

    routes.get(PORTAL_PATHS.security, { schema: { hide: true } }, async (request, reply) => {
      const session = await signedInOrReply(portal, request, reply);
      if (!session) return reply;
      const flash = request.session.get('securityFlash');
      request.session.set('securityFlash', undefined);
      const page = pageOf(request, reply, PORTAL_PATHS.security);
      const message = flash ? notice('status', page.t(`security.flash.${flash}`)) : undefined;
      return sendSecurityPage(portal, request, reply, session, { message });
    });

    routes.post(
      PAGE_PATHS.twoStepStart,
      { ...form, schema: { hide: true, body: startForm } },
      async (request, reply) => {
        const session = await signedInOrReply(portal, request, reply);
        if (!session) return reply;
        const page = pageOf(request, reply, PORTAL_PATHS.security);
        const title = page.t('security.enrol.title');
        const { password } = request.body;
        const answer = await portal.auth.startTwoFactor({
          bearer: session.accessToken,
          body: { ...(password ? { password } : {}), context: contextOf(request, reply) },
          requestId: request.id,
        });
        if (answer.outcome === 'ok') {
          const qrCode = await qrCodeDataUri(answer.body.otpauthUri);
          return sendPage(
            reply,
            page,
            title,
            enrolmentPage(page, { qrCode, secret: groupedSecret(answer.body.secret) }),
          );
        }
        if (sessionGone(answer)) return sessionEndedReply(request, reply);
        if (answer.outcome === 'refused' && answer.code === 'AUTH_REAUTHENTICATION_REQUIRED') {
          const prompt = stepUpPage(page, { action: PAGE_PATHS.twoStepStart });
          return sendPage(reply, page, page.t('security.stepUp.title'), prompt, 401);
        }
        if (answer.outcome === 'refused' && answer.code === 'AUTH_INVALID_CREDENTIALS') {
          const message = notice('alert', page.t('security.stepUp.wrong'));
          const prompt = stepUpPage(page, { action: PAGE_PATHS.twoStepStart, message });
          return sendPage(reply, page, page.t('security.stepUp.title'), prompt, 401);
        }
        if (answer.outcome === 'refused' && answer.code === 'AUTH_TOTP_ALREADY_ENABLED') {
          request.session.set('securityFlash', 'twoStepAlreadyOn');
          return reply.redirect(PORTAL_PATHS.security, 303);
        }
        return unavailable(request, reply);
      },
    );

    routes.post(
      PAGE_PATHS.twoStepConfirm,
      { ...form, schema: { hide: true, body: confirmForm } },
      async (request, reply) => {
        const session = await signedInOrReply(portal, request, reply);
        if (!session) return reply;
        const page = pageOf(request, reply, PORTAL_PATHS.security);
        const title = page.t('security.enrol.title');
        const code = request.body.code?.replace(/\s/g, '');
        if (!code || !/^\d{6}$/.test(code)) {
          return sendPage(
            reply,
            page,
            title,
            confirmAgainPage(page, notice('alert', page.t('security.enrol.wrong'))),
            400,
          );
        }
        const answer = await portal.auth.confirmTwoFactor({
          bearer: session.accessToken,
          body: { code, context: contextOf(request, reply) },
          requestId: request.id,
        });
        if (answer.outcome === 'ok') {
          // Recovery codes must not linger in a cache (the kit already says no-store; this page must).
          reply.header('cache-control', 'no-store');
          const body = html`${notice('status', page.t('security.enrol.done'))}${recoveryCodesPage(page, answer.body.recoveryCodes)}`;
          return sendPage(reply, page, page.t('security.codes.title'), body);
        }
        if (sessionGone(answer)) return sessionEndedReply(request, reply);
        if (answer.outcome === 'refused' && answer.code === 'AUTH_TOTP_CODE_REJECTED') {
          return sendPage(
            reply,
            page,
            title,
            confirmAgainPage(page, notice('alert', page.t('security.enrol.wrong'))),
            422,
          );
        }
        if (answer.outcome === 'refused' && answer.status === 409) {
          request.session.set(
            'securityFlash',
            answer.code === 'AUTH_TOTP_ALREADY_ENABLED' ? 'twoStepAlreadyOn' : 'twoStepNotPending',
          );
          return reply.redirect(PORTAL_PATHS.security, 303);
        }
        return unavailable(request, reply);
      },
    );

    routes.post(PAGE_PATHS.twoStepOff, { ...form, schema: { hide: true, body: offForm } }, async (request, reply) => {
      const session = await signedInOrReply(portal, request, reply);
      if (!session) return reply;
      const { password } = request.body;
      const refuse = (key: string, status: number) => {
        const page = pageOf(request, reply, PORTAL_PATHS.security);
        return sendSecurityPage(portal, request, reply, session, { message: notice('alert', page.t(key)), status });
      };
      const passkey = postedPasskey(request, request.body.passkeyResponse, 'disable');
      if (passkey.kind === 'expired') return refuse('passkeys.errors.expired', 400);
      if (passkey.kind === 'malformed') return refuse('passkeys.errors.failed', 400);
      const proof = passkey.kind === 'proof' ? { passkey: passkey.proof } : secondFactorOf(request.body);
      if (!password || (!('passkey' in proof) && !proof.code && !proof.recoveryCode)) {
        return refuse('security.twoStep.offMissing', 400);
      }
      const answer = await portal.auth.disableTwoFactor({
        bearer: session.accessToken,
        body: { password, ...proof, context: contextOf(request, reply) },
        requestId: request.id,
      });
      if (answer.outcome === 'ok') {
        request.session.set('securityFlash', 'twoStepOff');
        return reply.redirect(PORTAL_PATHS.security, 303);
      }
      if (sessionGone(answer)) return sessionEndedReply(request, reply);
      if (answer.outcome === 'refused' && answer.code === 'AUTH_INVALID_CREDENTIALS') {
        return refuse('security.stepUp.wrong', 401);
      }
      if (answer.outcome === 'refused' && answer.code === 'AUTH_SECOND_FACTOR_INVALID') {
        return refuse('common.secondFactorWrong', 401);
      }
      if (answer.outcome === 'refused' && answer.code === 'AUTH_PASSKEY_REJECTED')
        return refuse('passkeys.errors.refused', 401);
      if (answer.outcome === 'refused' && answer.code === 'AUTH_PASSKEY_CHALLENGE_INVALID') {
        return refuse('passkeys.errors.expired', 400);
      }
      if (answer.outcome === 'refused' && answer.status === 400) return refuse('common.secondFactorWrong', 400);
      if (answer.outcome === 'refused' && answer.status === 409) return reply.redirect(PORTAL_PATHS.security, 303);
      return unavailable(request, reply);
    });

    routes.post(
      PAGE_PATHS.recoveryCodesDownload,
      { ...form, schema: { hide: true, body: downloadForm } },
      async (request, reply) => {
        // Only what this browser posted comes back: the portal keeps no recovery code anywhere.
        if (!request.session.get('signedIn')) return reply.redirect(PAGE_PATHS.signIn, 303);
        const page = pageOf(request, reply, PORTAL_PATHS.security);
        const codes = request.body.codes.split(' ').filter(Boolean);
        const text = [page.t('security.codes.fileHeading'), '', ...codes, ''].join('\r\n');
        return reply
          .header('content-type', 'text/plain; charset=utf-8')
          .header('content-disposition', 'attachment; filename="recovery-codes.txt"')
          .header('cache-control', 'no-store')
          .send(text);
      },
    );
  },
  { name: 'portal-two-step-routes', dependencies: ROUTE_DEPENDENCIES },
);
