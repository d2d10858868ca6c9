import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { authContextOf } from '../application';
import {
  context,
  emailCode,
  errorResponses,
  noContent,
  opaqueToken,
  password,
  recoveryCode,
  security,
  tokenPair,
  totpCode,
  USER_ROUTE_DEPENDENCIES,
} from '../http-schemas';
import { passkeyProof } from '../passkeys/webauthn-json';
import { userOf } from '../tokens/user-auth';
import { confirmEnrolment, startEnrolment } from './enrolment';
import { disableTwoFactor, regenerateRecoveryCodes, twoFactorStatus } from './manage';
import { signInWithSecondFactor } from './mfa-sign-in';

/** `code` (authenticator), `recoveryCode` or `passkey` (an answer to passkey options): exactly one. */
const proofFields = {
  code: totpCode.optional(),
  recoveryCode: recoveryCode.optional(),
  passkey: passkeyProof.optional(),
};
const oneProof = (body: { code?: unknown; recoveryCode?: unknown; passkey?: unknown }) =>
  [body.code, body.recoveryCode, body.passkey].filter((p) => p !== undefined).length === 1;
const oneProofMessage = { message: 'give exactly one of code, recoveryCode or passkey', path: ['code'] };
/** The second sign-in step also takes the e-mailed code (`emailCode`) of a stepped-up sign-in. */
const oneSignInProof = (body: { code?: unknown; recoveryCode?: unknown; passkey?: unknown; emailCode?: unknown }) =>
  [body.code, body.recoveryCode, body.passkey, body.emailCode].filter((p) => p !== undefined).length === 1;
const oneSignInProofMessage = {
  message: 'give exactly one of code, recoveryCode, passkey or emailCode',
  path: ['code'],
};
const asStepUp = <T extends { code?: string | undefined }>({ code, ...rest }: T) => ({ ...rest, totpCode: code });

const recoveryCodes = z.object({
  /** Shown this once: only salted hashes are kept. */
  recoveryCodes: z.array(z.string()).length(10),
});

/** Secrets and recovery codes must not linger in a cache between the wallet and its user. */
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

/** Enrolment, the second sign-in step, status, turning it off, and new recovery codes. */
export const twoFactorRoutes = fp(
  async (app: FastifyInstance) => {
    const ctx = authContextOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.post(
      '/v1/accounts/me/totp',
      {
        schema: {
          tags: ['two-factor'],
          summary: 'Start enrolling an authenticator app (off until confirmed; starting again replaces the secret)',
          description:
            'Needs the current password in the body, or a sign-in within AUTH_RECENT_SIGN_IN_SECONDS (300): else 401 ' +
            'AUTH_REAUTHENTICATION_REQUIRED. A wrong password is 401 AUTH_INVALID_CREDENTIALS and counts towards the lockout.',
          security: security.user,
          body: z.object({ password: password.optional(), context }).nullish(),
          response: {
            201: z.object({
              /** Base32, for typing in by hand. */
              secret: z.string(),
              otpauthUri: z.string(),
              qrCodeSvg: z.string(),
              qrCodePngDataUrl: z.string(),
            }),
            ...errorResponses(400, 401, 409, 503),
          },
        },
      },
      async (request, reply) => {
        const enrolment = await startEnrolment(ctx, userOf(request), request.body ?? { context: {} });
        return noStore(reply).status(201).send(enrolment);
      },
    );

    routes.post(
      '/v1/accounts/me/totp/confirm',
      {
        schema: {
          tags: ['two-factor'],
          summary: 'Confirm enrolment with a code from the app: two-factor is on, and 10 recovery codes come back once',
          security: security.user,
          body: z.object({ code: totpCode, context }),
          response: { 200: recoveryCodes, ...errorResponses(400, 401, 409, 422) },
        },
      },
      async (request, reply) => {
        const result = await confirmEnrolment(ctx, userOf(request), request.body);
        return noStore(reply).send(result);
      },
    );

    routes.get(
      '/v1/accounts/me/totp',
      {
        schema: {
          tags: ['two-factor'],
          summary: 'Whether two-factor is on, since when, and how many recovery codes are left',
          security: security.user,
          response: {
            200: z.object({
              enabled: z.boolean(),
              enrolledAt: z.iso.datetime({ offset: true }).nullable(),
              recoveryCodesLeft: z.number().int().nonnegative(),
            }),
            ...errorResponses(401),
          },
        },
      },
      async (request) => twoFactorStatus(ctx, userOf(request)),
    );

    routes.delete(
      '/v1/accounts/me/totp',
      {
        schema: {
          tags: ['two-factor'],
          summary:
            'Turn the authenticator app off (password and a code, recovery code or passkey); every recovery code goes',
          description: 'Wrong passwords and wrong codes count towards the lockout.',
          security: security.user,
          body: z.object({ password, ...proofFields, context }).refine(oneProof, oneProofMessage),
          response: { 204: noContent, ...errorResponses(400, 401, 409, 503) },
        },
      },
      async (request, reply) => {
        await disableTwoFactor(ctx, userOf(request), asStepUp(request.body));
        return reply.status(204).send(null);
      },
    );

    routes.post(
      '/v1/accounts/me/recovery-codes',
      {
        schema: {
          tags: ['two-factor'],
          summary:
            'A new set of 10 recovery codes (for a code, a recovery code or a passkey); the old set stops working',
          description:
            'Needs the current password in the body, or a sign-in within AUTH_RECENT_SIGN_IN_SECONDS (300): else 401 ' +
            'AUTH_REAUTHENTICATION_REQUIRED.',
          security: security.user,
          body: z.object({ password: password.optional(), ...proofFields, context }).refine(oneProof, oneProofMessage),
          response: { 200: recoveryCodes, ...errorResponses(400, 401, 409, 503) },
        },
      },
      async (request, reply) => {
        const result = await regenerateRecoveryCodes(ctx, userOf(request), asStepUp(request.body));
        return noStore(reply).send(result);
      },
    );

    routes.post(
      '/v1/sessions/mfa',
      {
        schema: {
          tags: ['sessions'],
          summary:
            'Second sign-in step: the mfaToken of a right password with a code, a recovery code, a passkey or the e-mailed code',
          description:
            'The mfaToken lives 5 minutes and allows 5 attempts (then 401 AUTH_INVALID_TOKEN: sign in again); ' +
            'with methods [email_code] it lives as long as the code (AUTH_EMAIL_CODE_TTL_SECONDS, 600). ' +
            'A wrong code, and any code while the account is locked or frozen, is 401 AUTH_SECOND_FACTOR_INVALID; ' +
            'for a passkey (options from POST /v1/sessions/mfa/passkey-options) 401 AUTH_PASSKEY_REJECTED, and 400 ' +
            'AUTH_PASSKEY_CHALLENGE_INVALID for an unknown, used or expired ceremony. amr: [pwd, otp], ' +
            '[pwd, recovery] or [pwd, hwk|swk, user] at aal 2; [pwd, email] at aal 1 for the e-mailed code ' +
            '(NIST SP 800-63B §5.1.3.1: e-mail is no out-of-band authenticator). A restricted sign-in (leaked ' +
            'password) answers `restriction: password_change`.',
          security: security.wallet,
          body: z
            .object({ mfaToken: opaqueToken, ...proofFields, emailCode: emailCode.optional(), context })
            .refine(oneSignInProof, oneSignInProofMessage),
          response: { 200: tokenPair, ...errorResponses(400, 401) },
        },
      },
      async (request) => signInWithSecondFactor(ctx, asStepUp(request.body)),
    );
  },
  { name: 'auth-two-factor-routes', dependencies: USER_ROUTE_DEPENDENCIES },
);
