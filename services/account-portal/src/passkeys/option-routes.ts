import { type AuthWebAuthnCeremony, authPasskeyStepUpPurpose } from '@wallet-guard/contracts';
import type { ServiceRefusal, ServiceUnavailable, ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { checkSession } from '../account/current-session';
import { type PortalApplication, portalOf } from '../application';
import { portalErrors } from '../errors';
import { chooseLocale } from '../i18n/locale';
import type { Translate } from '../i18n/translator';
import { formPost, ROUTE_DEPENDENCIES, SCRIPT_PATHS } from '../route-conventions';
import { clientContextOf } from '../web/client-context';
import { csrfBody } from '../web/forms';
import type { SignedInSession } from '../web/session';
import { type CeremonyPurpose, rememberCeremony } from './ceremony-session';

const CSRF_CODES = new Set(['FST_CSRF_MISSING_SECRET', 'FST_CSRF_INVALID_TOKEN']);

/**
 * The options the browser passes to `@simplewebauthn/browser` untouched; the ceremony id stays in
 * the session. `null` from the step-up endpoint: the account has no passkey, so there is nothing
 * to offer (an e-mail link's page asks before it shows the button, for every account).
 */
const optionsAnswer = z.object({ options: z.record(z.string(), z.unknown()).nullable() });

/** The step-ups a page offers a passkey for; removing a passkey takes the password (auth's contract). */
const stepUpPurpose = authPasskeyStepUpPurpose.exclude(['remove_passkey']);
const SIGNED_IN_STEP_UPS = new Set(['password_change', 'disable', 'regenerate']);

/** Any refusal auth gave for starting a ceremony, in the customer's words (a JSON error the script shows). */
function refusalOf(answer: ServiceRefusal | ServiceUnavailable, t: Translate): Error {
  if (answer.outcome !== 'refused') return portalErrors.authUnavailable();
  switch (answer.code) {
    case 'AUTH_INVALID_ACCESS_TOKEN':
      return portalErrors.signedOut(t('passkeys.errors.signedOut'));
    case 'AUTH_REAUTHENTICATION_REQUIRED':
      return portalErrors.reauthenticationRequired(t('passkeys.errors.reauthenticate'));
    case 'AUTH_INVALID_CREDENTIALS':
      return portalErrors.invalidCredentials(t('passkeys.errors.wrongPassword'));
    case 'AUTH_PASSKEY_NOT_FOUND':
      return portalErrors.passkeyNotFound(t('passkeys.errors.none'));
    case 'AUTH_RATE_LIMITED':
      return portalErrors.rateLimited(60);
    default:
      // An expired link or second step, a payment no longer pending or not this account's.
      return answer.status === 429
        ? portalErrors.rateLimited(60)
        : portalErrors.ceremonyGone(t('passkeys.errors.gone'));
  }
}

/**
 * The passkey buttons' JSON endpoints (`passkeys.js` only), one per ceremony: each asks auth to
 * start it, keeps the ceremony's id in this session (`ceremony-session.ts`) for the form that
 * sends the browser's answer, and answers `{ options }` (W3C WebAuthn Level 3
 * `PublicKeyCredentialRequestOptionsJSON` / `...CreationOptionsJSON`), or from the step-up
 * endpoint `{ options: null }` when the account has no passkey. The page's CSRF token is
 * required in the body like on every post, and the form posts' per-IP limit applies. Refusals are
 * JSON errors whose `message` is in the page's language: `PORTAL_CSRF_REJECTED` 403,
 * `PORTAL_SIGNED_OUT` 401, `PORTAL_REAUTHENTICATION_REQUIRED` 401, `PORTAL_INVALID_CREDENTIALS`
 * 401, `PORTAL_PASSKEY_NOT_FOUND` 404 (second step, payment: the account has none), `PORTAL_CEREMONY_GONE` 410 (the
 * link, second step or payment is over), `PORTAL_RATE_LIMITED` 429, `PORTAL_UPSTREAM_UNAVAILABLE` 503.
 */
export const passkeyOptionRoutes = fp(
  async (app: FastifyInstance) => {
    const portal = portalOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const { preValidation, config } = formPost(app, portal.config.rateLimitPerMinute);
    const json = <B extends z.ZodObject>(body: B) => ({
      preValidation,
      config,
      errorHandler: (error: FastifyError) => {
        // The kit's JSON handler answers, with the portal's code rather than the plugin's.
        if (CSRF_CODES.has(error.code)) throw portalErrors.csrfRejected();
        throw error;
      },
      schema: { hide: true, body, response: { 200: optionsAnswer } },
    });
    const translatorOf = (request: FastifyRequest): Translate =>
      portal.translators(
        chooseLocale({
          cookie: request.cookies[portal.cookies.language],
          account: request.session.get('signedIn')?.locale,
          acceptLanguage: request.headers['accept-language'],
        }),
      );
    const contextOf = (request: FastifyRequest, reply: FastifyReply) =>
      clientContextOf(request, reply, portal.cookies, portal.config.secureCookies);

    /** Keeps the ceremony for the form that follows and answers its options, or throws auth's refusal in words. */
    const started = (
      request: FastifyRequest,
      answer: ServiceRefusal | ServiceUnavailable | { outcome: 'ok'; body: AuthWebAuthnCeremony },
      purpose: CeremonyPurpose,
      boundTo?: string,
    ) => {
      if (answer.outcome !== 'ok') throw refusalOf(answer, translatorOf(request));
      rememberCeremony(request, {
        purpose,
        ceremonyId: answer.body.ceremonyId,
        ...(boundTo === undefined ? {} : { boundTo }),
      });
      return { options: answer.body.options };
    };

    routes.post(SCRIPT_PATHS.passkeySignInOptions, json(z.object(csrfBody)), async (request, reply) => {
      const answer = await portal.auth.passkeyAuthenticationOptions({
        body: { context: contextOf(request, reply) },
        requestId: request.id,
      });
      return started(request, answer, 'sign_in');
    });

    routes.post(SCRIPT_PATHS.passkeySecondStepOptions, json(z.object(csrfBody)), async (request) => {
      const pending = request.session.get('pendingSecondStep');
      if (!pending) throw portalErrors.ceremonyGone(translatorOf(request)('passkeys.errors.gone'));
      const answer = await portal.auth.signInPasskeyOptions({
        body: { mfaToken: pending.mfaToken },
        requestId: request.id,
      });
      return started(request, answer, 'second_step');
    });

    routes.post(
      SCRIPT_PATHS.passkeyRegistrationOptions,
      json(z.object({ ...csrfBody, password: z.string().max(1024).optional() })),
      async (request, reply) => {
        const session = await signedInForScript(portal, request, reply, translatorOf(request));
        const { password } = request.body;
        const answer = await portal.auth.startPasskeyRegistration({
          bearer: session.accessToken,
          body: { ...(password ? { password } : {}), context: contextOf(request, reply) },
          requestId: request.id,
        });
        return started(request, answer, 'registration');
      },
    );

    routes.post(
      SCRIPT_PATHS.passkeyStepUpOptions,
      json(z.object({ ...csrfBody, purpose: stepUpPurpose, token: z.string().max(200).optional() })),
      async (request, reply) => {
        const { purpose, token } = request.body;
        const t = translatorOf(request);
        let bearer: string | undefined;
        if (SIGNED_IN_STEP_UPS.has(purpose)) {
          bearer = (await signedInForScript(portal, request, reply, t)).accessToken;
        } else if (!token) {
          // An e-mail link's page opened without its link: nothing to ask auth.
          throw portalErrors.ceremonyGone(t('passkeys.errors.gone'));
        }
        const answer = await portal.auth.passkeyStepUpOptions({
          ...(bearer ? { bearer } : {}),
          body: { purpose, ...(bearer ? {} : { token }) },
          requestId: request.id,
        });
        // No passkey: an answer, not a refusal (most accounts have none; the page keeps its code fields).
        if (answer.outcome === 'refused' && answer.code === 'AUTH_PASSKEY_NOT_FOUND') return { options: null };
        return started(request, answer, purpose);
      },
    );

    routes.post(
      SCRIPT_PATHS.passkeyConfirmationOptions,
      json(z.object({ ...csrfBody, confirmationId: z.uuid() })),
      async (request, reply) => {
        const session = await signedInForScript(portal, request, reply, translatorOf(request));
        const { confirmationId } = request.body;
        const answer = await portal.confirmations.confirmationPasskeyOptions({
          bearer: session.accessToken,
          params: { id: confirmationId },
          requestId: request.id,
        });
        return started(request, answer, 'payment_confirmation', confirmationId);
      },
    );
  },
  { name: 'portal-passkey-option-routes', dependencies: ROUTE_DEPENDENCIES },
);

/**
 * The signed-in session behind a script's call, checked with auth like a page's (introspection,
 * one refresh, kept when refreshed); throws `PORTAL_SIGNED_OUT` or `PORTAL_UPSTREAM_UNAVAILABLE`.
 */
async function signedInForScript(
  portal: PortalApplication,
  request: FastifyRequest,
  reply: FastifyReply,
  t: Translate,
): Promise<SignedInSession> {
  const stored = request.session.get('signedIn');
  if (!stored) throw portalErrors.signedOut(t('passkeys.errors.signedOut'));
  const check = await checkSession(portal.auth, {
    session: stored,
    now: portal.clock(),
    context: clientContextOf(request, reply, portal.cookies, portal.config.secureCookies),
    requestId: request.id,
  });
  if (check.kind === 'ended') throw portalErrors.signedOut(t('passkeys.errors.signedOut'));
  if (check.kind === 'unavailable') throw portalErrors.authUnavailable();
  if (check.kind === 'refreshed') request.session.set('signedIn', check.session);
  return check.session;
}
