import { PORTAL_PATHS } from '@wallet-guard/contracts';
import type { FastifyInstance } from 'fastify';
import { PORTAL_APPLICATION } from './application';
import { ASSET_PATHS, PORTAL_WEB } from './web/web-plugin';

/** The portal's own pages (besides the notifier's link targets in `PORTAL_PATHS`). */
export const PAGE_PATHS = {
  home: '/',
  signIn: '/sign-in',
  secondStep: '/sign-in/second-step',
  /** Where a restricted sign-in lands (a leaked password): it must change the password first. */
  passwordRequired: '/sign-in/change-password',
  forgotPassword: '/forgot-password',
  account: '/account',
  signOut: '/sign-out',
  language: '/language',
  /** The security guide and the ways to reach support (open to anyone). */
  help: '/help',
  /** The security page's forms (the page itself is `PORTAL_PATHS.security`). */
  twoStepStart: '/security/two-step',
  twoStepConfirm: '/security/two-step/confirm',
  twoStepOff: '/security/two-step/off',
  changePassword: '/security/password',
  freezeOwnAccount: '/security/freeze',
  sessionRevoke: '/security/sessions/revoke',
  sessionsRevokeOthers: '/security/sessions/revoke-others',
  recoveryCodesRegenerate: '/security/recovery-codes',
  recoveryCodesDownload: '/security/recovery-codes/download',
  /** The usernameless passkey sign-in's form (the button is on the sign-in page). */
  passkeySignIn: '/sign-in/passkey',
  /** The security page's passkey forms: add (the browser's answer), rename, remove. */
  passkeyAdd: '/security/passkeys',
  passkeyRename: '/security/passkeys/rename',
  passkeyRemove: '/security/passkeys/remove',
} as const;

/** A payment to confirm (`/confirmations/<id>`, the `portalPath` auth gives the wallet) and its answers. */
export const CONFIRMATION_ROUTES = {
  confirmation: '/confirmations/:confirmationId',
  approve: '/confirmations/:confirmationId/approve',
  refuse: '/confirmations/:confirmationId/refuse',
} as const;

/** The help centre's pages of one request (the list and the new-request form are `PORTAL_PATHS.cases`). */
export const CASE_ROUTES = {
  /** `/cases/CASE-000123`: the notifier's e-mails link here. */
  case: `${PORTAL_PATHS.cases}/:caseNumber`,
  messages: `${PORTAL_PATHS.cases}/:caseNumber/messages`,
  /** The rating form of a resolved request (GET with `?rating=` from the e-mail's links; POST sends it). */
  satisfaction: `${PORTAL_PATHS.cases}/:caseNumber${PORTAL_PATHS.satisfaction}`,
} as const;

/** The portal's JSON endpoints, called by its own script (same session, same CSRF token). */
export const SCRIPT_PATHS = {
  passwordFeedback: '/password-feedback',
  /**
   * Passkey options for `passkeys.js` (JSON, CSRF token in the body): the ceremony is kept in the
   * session, the browser gets the options only.
   */
  passkeySignInOptions: '/passkey-options/sign-in',
  passkeySecondStepOptions: '/passkey-options/second-step',
  passkeyRegistrationOptions: '/passkey-options/registration',
  passkeyStepUpOptions: '/passkey-options/step-up',
  passkeyConfirmationOptions: '/passkey-options/confirmation',
} as const;

/**
 * Every portal route answers a browser without an API key (service kit `publicRoutes`): the
 * browser's proof is its session cookie, and every form post its CSRF token.
 */
export const PORTAL_PUBLIC_ROUTES = [
  ...Object.values(PAGE_PATHS),
  ...Object.values(SCRIPT_PATHS),
  PORTAL_PATHS.unlock,
  PORTAL_PATHS.resetPassword,
  PORTAL_PATHS.freeze,
  PORTAL_PATHS.security,
  PORTAL_PATHS.cases,
  ...Object.values(CASE_ROUTES),
  ...Object.values(CONFIRMATION_ROUTES),
  ...ASSET_PATHS,
];

/** Route plugins run after the service kit, the browser plumbing and the portal's application. */
export const ROUTE_DEPENDENCIES = ['service-kit', PORTAL_WEB, PORTAL_APPLICATION];

/**
 * Route options of every form post: the portal's per-IP limit (before anything else), then this
 * session's CSRF token, checked once the form body is parsed and before the handler sees it.
 */
export const formPost = (app: FastifyInstance, perMinute: number) => ({
  preValidation: app.csrfProtection,
  config: { rateLimit: { max: perMinute, timeWindow: 60_000 } },
});
