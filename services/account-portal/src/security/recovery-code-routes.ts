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
import { html, type SafeHtml } from '../web/html';
import { notice } from '../web/layout';
import { pageContextOf, sendPage } from '../web/render';
import { recoveryCodesPage, stepUpPage } from './pages';
import { sendSecurityPage } from './security-view';
import { sessionEndedReply, sessionGone, signedInOrReply } from './signed-in';

const regenerateForm = z.object({
  ...csrfBody,
  password: formText(1024),
  code: formText(16),
  recoveryCode: formText(64),
  passkeyResponse: formText(MAX_PASSKEY_RESPONSE_LENGTH),
});

/**
 * A new set of recovery codes (the old set dies), shown once like the first. Auth wants a code
 * (or an old recovery code), and the password when the sign-in is not recent: then the page asks
 * for both again.
 */
export const recoveryCodeRoutes = fp(
  async (app: FastifyInstance) => {
    const portal = portalOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const unavailable = (request: FastifyRequest, reply: FastifyReply) => {
      const page = pageContextOf(request, reply, portal, PORTAL_PATHS.security);
      return sendPage(reply, page, page.t('security.title'), notice('alert', page.t('common.unavailable')), 503);
    };

    routes.post(
      PAGE_PATHS.recoveryCodesRegenerate,
      { ...formPost(app, portal.config.rateLimitPerMinute), schema: { hide: true, body: regenerateForm } },
      async (request, reply) => {
        const session = await signedInOrReply(portal, request, reply);
        if (!session) return reply;
        const page = pageContextOf(request, reply, portal, PORTAL_PATHS.security);
        const { password } = request.body;
        const passkey = postedPasskey(request, request.body.passkeyResponse, 'regenerate');
        const prompt = (message?: SafeHtml) =>
          sendPage(
            reply,
            page,
            page.t('security.stepUp.title'),
            stepUpPage(page, { action: PAGE_PATHS.recoveryCodesRegenerate, secondFactor: true, message }),
            401,
          );
        const refuse = async (key: string, status: number) => {
          // Refused after the password was asked for: ask again; else the security page says why.
          if (password) return prompt(notice('alert', page.t(key)));
          return sendSecurityPage(portal, request, reply, session, { message: notice('alert', page.t(key)), status });
        };
        if (passkey.kind === 'expired') return refuse('passkeys.errors.expired', 400);
        if (passkey.kind === 'malformed') return refuse('passkeys.errors.failed', 400);
        const proof = passkey.kind === 'proof' ? { passkey: passkey.proof } : secondFactorOf(request.body);
        if (!('passkey' in proof) && !proof.code && !proof.recoveryCode)
          return refuse('security.regenerate.missing', 400);
        const answer = await portal.auth.regenerateRecoveryCodes({
          bearer: session.accessToken,
          body: {
            ...(password ? { password } : {}),
            ...proof,
            context: clientContextOf(request, reply, portal.cookies, portal.config.secureCookies),
          },
          requestId: request.id,
        });
        if (answer.outcome === 'ok') {
          const body = html`${notice('status', page.t('security.regenerate.done'))}${recoveryCodesPage(page, answer.body.recoveryCodes)}`;
          return sendPage(reply, page, page.t('security.codes.title'), body);
        }
        if (sessionGone(answer)) return sessionEndedReply(request, reply);
        if (answer.outcome === 'refused' && answer.code === 'AUTH_REAUTHENTICATION_REQUIRED') return prompt();
        if (answer.outcome === 'refused' && answer.code === 'AUTH_INVALID_CREDENTIALS') {
          return prompt(notice('alert', page.t('security.stepUp.wrong')));
        }
        if (answer.outcome === 'refused' && answer.code === 'AUTH_PASSKEY_REJECTED')
          return refuse('passkeys.errors.refused', 401);
        if (answer.outcome === 'refused' && answer.code === 'AUTH_PASSKEY_CHALLENGE_INVALID') {
          return refuse('passkeys.errors.expired', 400);
        }
        if (answer.outcome === 'refused' && (answer.code === 'AUTH_SECOND_FACTOR_INVALID' || answer.status === 400)) {
          return refuse('common.secondFactorWrong', answer.status);
        }
        if (answer.outcome === 'refused' && answer.status === 409) return reply.redirect(PORTAL_PATHS.security, 303);
        return unavailable(request, reply);
      },
    );
  },
  { name: 'portal-recovery-code-routes', dependencies: ROUTE_DEPENDENCIES },
);
