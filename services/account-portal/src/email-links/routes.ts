import { PORTAL_PATHS } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { portalOf } from '../application';
import { MAX_PASSKEY_RESPONSE_LENGTH, type PostedPasskey, postedPasskey } from '../passkeys/ceremony-session';
import { formPost, ROUTE_DEPENDENCIES } from '../route-conventions';
import { clientContextOf } from '../web/client-context';
import { csrfBody, formText, secondFactorOf } from '../web/forms';
import { html, type SafeHtml } from '../web/html';
import { notice } from '../web/layout';
import type { PageContext } from '../web/page-context';
import { pageContextOf, sendPage } from '../web/render';
import { freezeWithLink, type LinkOutcome, resetPasswordWithLink, unlockWithLink } from './link-actions';
import { freezeForm, newResetLink, resetForm, resultPage, signInLink, unlockForm } from './pages';

/** A single-use token as auth issues it; anything else is a broken link, answered without asking auth. */
const token = z.string().max(200).optional();
const passkeyResponse = formText(MAX_PASSKEY_RESPONSE_LENGTH);
const unlockBody = z.object({ ...csrfBody, token, code: formText(16), recoveryCode: formText(64), passkeyResponse });
const resetBody = z.object({
  ...csrfBody,
  token,
  newPassword: formText(1024),
  code: formText(16),
  recoveryCode: formText(64),
  passkeyResponse,
});

/**
 * The second factor a link's form sent: the passkey's answer when it has one (an expired or
 * broken one is a wrong second factor: the form is offered again), else the code fields.
 */
function proofOf(
  passkey: PostedPasskey,
  body: { code?: string | undefined; recoveryCode?: string | undefined },
): ReturnType<typeof secondFactorOf> | { passkey: Extract<PostedPasskey, { kind: 'proof' }>['proof'] } | undefined {
  if (passkey.kind === 'proof') return { passkey: passkey.proof };
  if (passkey.kind === 'none') return secondFactorOf(body);
  return undefined;
}
const freezeBody = z.object({ ...csrfBody, token });

/** HTTP status of each outcome's page (for tests and logs; the customer reads the words). */
const STATUS: Record<LinkOutcome['kind'], number> = {
  done: 200,
  'second-factor': 401,
  'invalid-link': 410,
  'password-refused': 422,
  'rate-limited': 429,
  unavailable: 503,
};

/**
 * The notifier's link targets (`PORTAL_PATHS`): unlock, reset password, "this wasn't me". The
 * GET pages never see the token (it is in the fragment); their script posts it with the form.
 */
export const emailLinkRoutes = fp(
  async (app: FastifyInstance) => {
    const portal = portalOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const form = formPost(app, portal.config.rateLimitPerMinute);
    const pageOf = (request: FastifyRequest, reply: FastifyReply, path: string) =>
      pageContextOf(request, reply, portal, path);
    const contextOf = (request: FastifyRequest, reply: FastifyReply) =>
      clientContextOf(request, reply, portal.cookies, portal.config.secureCookies);
    const alert = (page: PageContext, key: string) => notice('alert', page.t(key));
    /** The message of an outcome every link page explains alike. */
    const commonMessage = (page: PageContext, outcome: LinkOutcome): SafeHtml | undefined =>
      outcome.kind === 'rate-limited'
        ? alert(page, 'common.rateLimited')
        : outcome.kind === 'unavailable'
          ? alert(page, 'common.unavailable')
          : undefined;

    routes.get(PORTAL_PATHS.unlock, { schema: { hide: true } }, async (request, reply) => {
      const page = pageOf(request, reply, PORTAL_PATHS.unlock);
      return sendPage(reply, page, page.t('unlock.title'), unlockForm(page));
    });

    routes.post(PORTAL_PATHS.unlock, { ...form, schema: { hide: true, body: unlockBody } }, async (request, reply) => {
      const page = pageOf(request, reply, PORTAL_PATHS.unlock);
      const title = page.t('unlock.title');
      const proof = proofOf(postedPasskey(request, request.body.passkeyResponse, 'unlock'), request.body);
      const outcome = !request.body.token
        ? ({ kind: 'invalid-link' } as const)
        : !proof
          ? ({ kind: 'second-factor' } as const)
          : await unlockWithLink(portal.auth, {
              token: request.body.token,
              ...proof,
              context: contextOf(request, reply),
              requestId: request.id,
            });
      const status = STATUS[outcome.kind];
      switch (outcome.kind) {
        case 'done': {
          const message = html`${notice('status', page.t('unlock.done'))}<p>${page.t('unlock.doneHint')}</p>`;
          return sendPage(reply, page, title, resultPage(message, signInLink(page)), status);
        }
        case 'second-factor':
          return sendPage(reply, page, title, unlockForm(page, { wrongCode: true }), status);
        case 'invalid-link':
        case 'password-refused':
          return sendPage(reply, page, title, resultPage(alert(page, 'unlock.invalid'), signInLink(page)), 410);
        default:
          return sendPage(reply, page, title, unlockForm(page, { message: commonMessage(page, outcome) }), status);
      }
    });

    routes.get(PORTAL_PATHS.resetPassword, { schema: { hide: true } }, async (request, reply) => {
      const page = pageOf(request, reply, PORTAL_PATHS.resetPassword);
      return sendPage(reply, page, page.t('reset.title'), resetForm(page));
    });

    routes.post(
      PORTAL_PATHS.resetPassword,
      { ...form, schema: { hide: true, body: resetBody } },
      async (request, reply) => {
        const page = pageOf(request, reply, PORTAL_PATHS.resetPassword);
        const title = page.t('reset.title');
        const { token: resetToken, newPassword } = request.body;
        if (resetToken && !newPassword) {
          return sendPage(reply, page, title, resetForm(page, { message: alert(page, 'reset.missing') }), 400);
        }
        const proof = proofOf(postedPasskey(request, request.body.passkeyResponse, 'password_reset'), request.body);
        const outcome = !(resetToken && newPassword)
          ? ({ kind: 'invalid-link' } as const)
          : !proof
            ? ({ kind: 'second-factor' } as const)
            : await resetPasswordWithLink(portal.auth, {
                token: resetToken,
                newPassword,
                ...proof,
                context: contextOf(request, reply),
                requestId: request.id,
              });
        const status = STATUS[outcome.kind];
        switch (outcome.kind) {
          case 'done':
            // Auth ended every session of the account, this browser's included.
            request.session.set('signedIn', undefined);
            return sendPage(
              reply,
              page,
              title,
              resultPage(notice('status', page.t('reset.done')), signInLink(page)),
              status,
            );
          case 'second-factor':
            return sendPage(reply, page, title, resetForm(page, { wrongCode: true }), status);
          case 'password-refused':
            return sendPage(reply, page, title, resetForm(page, { reasons: outcome.reasons }), status);
          case 'invalid-link':
            return sendPage(reply, page, title, resultPage(alert(page, 'reset.invalid'), newResetLink(page)), status);
          default:
            return sendPage(reply, page, title, resetForm(page, { message: commonMessage(page, outcome) }), status);
        }
      },
    );

    routes.get(PORTAL_PATHS.freeze, { schema: { hide: true } }, async (request, reply) => {
      const page = pageOf(request, reply, PORTAL_PATHS.freeze);
      return sendPage(reply, page, page.t('freeze.title'), freezeForm(page));
    });

    routes.post(PORTAL_PATHS.freeze, { ...form, schema: { hide: true, body: freezeBody } }, async (request, reply) => {
      const page = pageOf(request, reply, PORTAL_PATHS.freeze);
      const outcome = request.body.token
        ? await freezeWithLink(portal.auth, {
            token: request.body.token,
            context: contextOf(request, reply),
            requestId: request.id,
          })
        : ({ kind: 'invalid-link' } as const);
      const status = STATUS[outcome.kind];
      if (outcome.kind === 'done') {
        // Auth ended every session of the account, this browser's included.
        request.session.set('signedIn', undefined);
        const body = html`${notice('status', page.t('freeze.done'))}<p>${page.t('freeze.next')}</p>`;
        return sendPage(reply, page, page.t('freeze.doneTitle'), body, status);
      }
      const message = commonMessage(page, outcome);
      if (message) return sendPage(reply, page, page.t('freeze.title'), freezeForm(page, message), status);
      return sendPage(reply, page, page.t('freeze.title'), alert(page, 'freeze.invalid'), 410);
    });
  },
  { name: 'portal-email-link-routes', dependencies: ROUTE_DEPENDENCIES },
);
