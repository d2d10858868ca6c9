import { PORTAL_PATHS } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { checkSession } from '../account/current-session';
import { portalOf } from '../application';
import { policyReasons } from '../email-links/link-actions';
import { MAX_PASSKEY_RESPONSE_LENGTH, postedPasskey } from '../passkeys/ceremony-session';
import { stepUpPasskey } from '../passkeys/passkey-pages';
import { formPost, PAGE_PATHS, ROUTE_DEPENDENCIES, SCRIPT_PATHS } from '../route-conventions';
import { policyRefusal } from '../security/password-pages';
import { sessionEndedReply, sessionGone } from '../security/signed-in';
import { clientContextOf } from '../web/client-context';
import { csrfBody, formText, secondFactorFields, secondFactorOf } from '../web/forms';
import { html, type SafeHtml } from '../web/html';
import { csrfField, notice } from '../web/layout';
import type { PageContext } from '../web/page-context';
import { pageContextOf, sendPage } from '../web/render';
import type { SignedInSession } from '../web/session';

const changeForm = z.object({
  ...csrfBody,
  currentPassword: formText(1024),
  newPassword: formText(1024),
  code: formText(16),
  recoveryCode: formText(64),
  passkeyResponse: formText(MAX_PASSKEY_RESPONSE_LENGTH),
});

/**
 * Where a restricted sign-in lands (issue 16): the password it used appears in lists of leaked
 * passwords, so auth lets the session do nothing but change it. The page says why in plain words,
 * and takes the current password, a new one (the policy's live feedback as on the security page)
 * and, when the account has two-step verification, a code or its passkey.
 */
function passwordRequiredPage(page: PageContext, methods: readonly string[], message?: SafeHtml): SafeHtml {
  const { t } = page;
  const codes = methods.includes('totp') || methods.includes('recovery');
  const passkey = methods.includes('passkey');
  return html`${message ?? ''}
<div class="notice alert" role="alert"><p>${t('passwordRequired.why')}</p><p>${t('passwordRequired.notYourFault')}</p></div>
<p>${t('passwordRequired.what')}</p>
<form method="post" action="${PAGE_PATHS.passwordRequired}" novalidate>
${csrfField(page)}
<label for="current-password">${t('security.password.current')}</label>
<input id="current-password" name="currentPassword" type="password" autocomplete="current-password" required maxlength="1024">
<label for="newPassword">${t('reset.newPassword')}</label>
<p class="hint" id="password-hint">${t('passwordRequired.newHint')}</p>
<input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required maxlength="1024" aria-describedby="password-hint password-feedback" data-password-feedback="${SCRIPT_PATHS.passwordFeedback}">
<div id="password-feedback" class="feedback" aria-live="polite"></div>
${codes ? secondFactorFields(page, false, 'pw-') : ''}
${codes || !passkey ? html`<button type="submit">${t('security.password.submit')}</button>` : ''}
${passkey ? stepUpPasskey(page, 'password_change', t('passkeys.stepUp.passwordChange')) : ''}
</form>
<form method="post" action="${PAGE_PATHS.signOut}">
${csrfField(page)}
<button type="submit" class="secondary">${t('account.signOut')}</button>
</form>`;
}

/** The restricted session's only page and its form; every other signed-in page sends here. */
export const passwordRequiredRoutes = fp(
  async (app: FastifyInstance) => {
    const portal = portalOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const pageOf = (request: FastifyRequest, reply: FastifyReply) =>
      pageContextOf(request, reply, portal, PAGE_PATHS.passwordRequired);
    const contextOf = (request: FastifyRequest, reply: FastifyReply) =>
      clientContextOf(request, reply, portal.cookies, portal.config.secureCookies);

    /** The restricted session of this cookie, still honoured by auth; `undefined` once the reply is sent. */
    const restrictedOrReply = async (
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<(SignedInSession & { restriction: NonNullable<SignedInSession['restriction']> }) | undefined> => {
      const stored = request.session.get('signedIn');
      if (!stored) {
        await reply.redirect(PAGE_PATHS.signIn, 303);
        return undefined;
      }
      if (!stored.restriction) {
        await reply.redirect(PAGE_PATHS.account, 303);
        return undefined;
      }
      const check = await checkSession(portal.auth, {
        session: stored,
        now: portal.clock(),
        context: contextOf(request, reply),
        requestId: request.id,
      });
      if (check.kind === 'ended') {
        await sessionEndedReply(request, reply);
        return undefined;
      }
      if (check.kind === 'unavailable') {
        const page = pageOf(request, reply);
        await sendPage(
          reply,
          page,
          page.t('passwordRequired.title'),
          notice('alert', page.t('common.unavailable')),
          503,
        );
        return undefined;
      }
      const session = { ...check.session, restriction: stored.restriction };
      if (check.kind === 'refreshed') request.session.set('signedIn', session);
      return session;
    };

    routes.get(PAGE_PATHS.passwordRequired, { schema: { hide: true } }, async (request, reply) => {
      const session = await restrictedOrReply(request, reply);
      if (!session) return reply;
      const page = pageOf(request, reply);
      return sendPage(
        reply,
        page,
        page.t('passwordRequired.title'),
        passwordRequiredPage(page, session.restriction.methods),
      );
    });

    routes.post(
      PAGE_PATHS.passwordRequired,
      { ...formPost(app, portal.config.rateLimitPerMinute), schema: { hide: true, body: changeForm } },
      async (request, reply) => {
        const session = await restrictedOrReply(request, reply);
        if (!session) return reply;
        const page = pageOf(request, reply);
        const { methods } = session.restriction;
        const refuse = (message: SafeHtml, status: number) =>
          sendPage(reply, page, page.t('passwordRequired.title'), passwordRequiredPage(page, methods, message), status);
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
            context: contextOf(request, reply),
          },
          requestId: request.id,
        });
        if (answer.outcome === 'ok') {
          // Auth lifted the restriction on this very session: the cookie keeps its tokens.
          const { restriction: _lifted, ...lifted } = session;
          request.session.set('signedIn', lifted);
          request.session.set('securityFlash', 'passwordChanged');
          return reply.redirect(PORTAL_PATHS.security, 303);
        }
        if (sessionGone(answer)) return sessionEndedReply(request, reply);
        if (answer.outcome === 'refused') {
          switch (answer.code) {
            case 'AUTH_INVALID_CREDENTIALS':
              return refuse(notice('alert', page.t('security.password.wrongCurrent')), 401);
            case 'AUTH_SECOND_FACTOR_INVALID':
              return refuse(notice('alert', page.t('common.secondFactorWrong')), 401);
            case 'AUTH_PASSKEY_REJECTED':
              return refuse(notice('alert', page.t('passkeys.errors.refused')), 401);
            case 'AUTH_PASSKEY_CHALLENGE_INVALID':
              return refuse(notice('alert', page.t('passkeys.errors.expired')), 400);
            case 'AUTH_PASSWORD_POLICY':
              return refuse(policyRefusal(page, policyReasons(answer.error?.details)), 422);
          }
          if (answer.status === 400) return refuse(notice('alert', page.t('security.password.missing')), 400);
        }
        return refuse(notice('alert', page.t('common.unavailable')), 503);
      },
    );
  },
  { name: 'portal-password-required-routes', dependencies: ROUTE_DEPENDENCIES },
);
