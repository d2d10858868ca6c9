import { PORTAL_PATHS } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { portalOf } from '../application';
import { policyReasons } from '../email-links/link-actions';
import { MAX_PASSKEY_RESPONSE_LENGTH, postedPasskey } from '../passkeys/ceremony-session';
import { formPost, PAGE_PATHS, ROUTE_DEPENDENCIES } from '../route-conventions';
import { clientContextOf } from '../web/client-context';
import { csrfBody, formText, secondFactorOf } from '../web/forms';
import type { SafeHtml } from '../web/html';
import { notice } from '../web/layout';
import { pageContextOf, sendPage } from '../web/render';
import { policyRefusal } from './password-pages';
import { sendSecurityPage } from './security-view';
import { sessionEndedReply, sessionGone, signedInOrReply } from './signed-in';

const changeForm = z.object({
  ...csrfBody,
  currentPassword: formText(1024),
  newPassword: formText(1024),
  code: formText(16),
  recoveryCode: formText(64),
  passkeyResponse: formText(MAX_PASSKEY_RESPONSE_LENGTH),
});

/**
 * Change password from the security page: the current password always (so auth needs no
 * separate step-up), a code or the passkey when two-step verification is on; auth ends every other session and
 * keeps this one. A refusal shows the security page again with the reason, the policy's in words.
 */
export const passwordRoutes = fp(
  async (app: FastifyInstance) => {
    const portal = portalOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.post(
      PAGE_PATHS.changePassword,
      { ...formPost(app, portal.config.rateLimitPerMinute), schema: { hide: true, body: changeForm } },
      async (request, reply) => {
        const session = await signedInOrReply(portal, request, reply);
        if (!session) return reply;
        const page = pageContextOf(request, reply, portal, PORTAL_PATHS.security);
        const refuse = (message: SafeHtml, status: number) =>
          sendSecurityPage(portal, request, reply, session, { message, status });
        const { currentPassword, newPassword } = request.body;
        if (!currentPassword || !newPassword) return refuse(notice('alert', page.t('security.password.missing')), 400);
        const passkey = postedPasskey(request, request.body.passkeyResponse, 'password_change');
        if (passkey.kind === 'expired') return refuse(notice('alert', page.t('passkeys.errors.expired')), 400);
        if (passkey.kind === 'malformed') return refuse(notice('alert', page.t('passkeys.errors.failed')), 400);
        const { code, recoveryCode } = passkey.kind === 'proof' ? {} : secondFactorOf(request.body);
        const answer = await portal.auth.changePassword({
          bearer: session.accessToken,
          body: {
            currentPassword,
            newPassword,
            ...(code ? { totpCode: code } : {}),
            ...(recoveryCode ? { recoveryCode } : {}),
            ...(passkey.kind === 'proof' ? { passkey: passkey.proof } : {}),
            context: clientContextOf(request, reply, portal.cookies, portal.config.secureCookies),
          },
          requestId: request.id,
        });
        if (answer.outcome === 'ok') {
          request.session.set('securityFlash', 'passwordChanged');
          return reply.redirect(PORTAL_PATHS.security, 303);
        }
        if (sessionGone(answer)) return sessionEndedReply(request, reply);
        if (answer.outcome === 'refused' && answer.code === 'AUTH_INVALID_CREDENTIALS') {
          return refuse(notice('alert', page.t('security.password.wrongCurrent')), 401);
        }
        if (answer.outcome === 'refused' && answer.code === 'AUTH_SECOND_FACTOR_INVALID') {
          return refuse(notice('alert', page.t('common.secondFactorWrong')), 401);
        }
        if (answer.outcome === 'refused' && answer.code === 'AUTH_PASSKEY_REJECTED') {
          return refuse(notice('alert', page.t('passkeys.errors.refused')), 401);
        }
        if (answer.outcome === 'refused' && answer.code === 'AUTH_PASSKEY_CHALLENGE_INVALID') {
          return refuse(notice('alert', page.t('passkeys.errors.expired')), 400);
        }
        if (answer.outcome === 'refused' && answer.code === 'AUTH_PASSWORD_POLICY') {
          return refuse(policyRefusal(page, policyReasons(answer.error?.details)), 422);
        }
        if (answer.outcome === 'refused' && answer.status === 400) {
          return refuse(notice('alert', page.t('security.password.missing')), 400);
        }
        return sendPage(reply, page, page.t('security.title'), notice('alert', page.t('common.unavailable')), 503);
      },
    );
  },
  { name: 'portal-password-routes', dependencies: ROUTE_DEPENDENCIES },
);
