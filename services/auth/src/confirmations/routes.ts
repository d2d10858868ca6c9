import {
  confirmationApproved,
  confirmationCreated,
  confirmationPasskeyOptions,
  confirmationRedeemed,
  confirmationView,
  createConfirmationBody,
  redeemConfirmationBody,
  refuseConfirmationBody,
} from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { authContextOf } from '../application';
import { authErrors } from '../errors';
import { context, errorResponses, noContent, security, totpCode, USER_ROUTE_DEPENDENCIES } from '../http-schemas';
import { passkeyProof } from '../passkeys/webauthn-json';
import { userOf } from '../tokens/user-auth';
import {
  approveWithTotp,
  createConfirmation,
  issueApprovalToken,
  redeemConfirmation,
  refuseConfirmation,
  viewConfirmation,
} from './confirmations';
import { approveWithPasskey, confirmationCeremony } from './passkey-approval';

const params = z.object({ id: z.uuid() });

/**
 * `approveConfirmationBody` of the contract, with the passkey's answer checked field by field
 * (`passkeyProof`), so a malformed one is 400 before @simplewebauthn sees it.
 */
const approveBody = z
  .object({ passkey: passkeyProof.optional(), totpCode: totpCode.optional(), context })
  .refine((body) => (body.passkey === undefined) !== (body.totpCode === undefined), {
    message: 'give either passkey or totpCode',
    path: ['totpCode'],
  });

/**
 * Payment confirmation bound to the transaction (PSD2 RTS art. 5, dynamic linking): the wallet
 * opens one for its signed-in user, the user approves or refuses it on the portal, the wallet
 * redeems the token once. Shapes and codes: `authConfirmationsApi` in `@wallet-guard/contracts`.
 */
export const confirmationRoutes = fp(
  async (app: FastifyInstance) => {
    const ctx = authContextOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.post(
      '/v1/confirmations',
      {
        schema: {
          tags: ['payment confirmation'],
          summary: 'Ask the signed-in user to confirm one payment (amount, currency, payee, transaction id)',
          description:
            'Pending for AUTH_CONFIRMATION_TTL_SECONDS (300). 409 AUTH_CONFIRMATION_EXISTS while another confirmation ' +
            'of the transaction is pending, approved or redeemed (details: confirmationId, status); 409 ' +
            'AUTH_SECOND_FACTOR_REQUIRED when the account has neither a passkey nor an authenticator app.',
          security: security.user,
          body: createConfirmationBody,
          response: { 201: confirmationCreated, ...errorResponses(400, 401, 409, 503) },
        },
      },
      async (request, reply) => reply.status(201).send(await createConfirmation(ctx, userOf(request), request.body)),
    );

    routes.get(
      '/v1/confirmations/:id',
      {
        schema: {
          tags: ['payment confirmation'],
          summary: "One of the user's payment confirmations, for its page: amount, payee, status, ways to approve",
          description: '404 AUTH_CONFIRMATION_NOT_FOUND when there is none or it is another account’s.',
          security: security.user,
          params,
          response: { 200: confirmationView, ...errorResponses(400, 401, 404) },
        },
      },
      async (request) => viewConfirmation(ctx, userOf(request), request.params.id),
    );

    routes.post(
      '/v1/confirmations/:id/passkey-options',
      {
        schema: {
          tags: ['payment confirmation'],
          summary: 'WebAuthn options whose challenge is derived from the payment details (dynamic linking)',
          description:
            'challenge = SHA-256(RFC 8785 JSON of {confirmationId, transactionId, amountMinor, currency, payeeHash} || ' +
            '16 random bytes); single use, AUTH_WEBAUTHN_CHALLENGE_TTL_SECONDS. 404 AUTH_CONFIRMATION_NOT_FOUND, ' +
            'AUTH_PASSKEY_NOT_FOUND (no passkey); 409 AUTH_CONFIRMATION_NOT_PENDING; 410 AUTH_CONFIRMATION_EXPIRED.',
          security: security.user,
          params,
          response: { 200: confirmationPasskeyOptions, ...errorResponses(400, 401, 404, 409, 410) },
        },
      },
      async (request) => confirmationCeremony(ctx, userOf(request), request.params.id),
    );

    routes.post(
      '/v1/confirmations/:id/approve',
      {
        schema: {
          tags: ['payment confirmation'],
          summary: 'Approve with a passkey assertion or an authenticator code: a single-use token bound to the payment',
          description:
            'The token is an EdDSA JWT (typ confirmation+jwt, aud wallet-guard:payment-confirmation) verifiable with ' +
            '/.well-known/jwks.json, valid AUTH_CONFIRMATION_TOKEN_TTL_SECONDS (120). Codes count on the step-up ' +
            'lockout counter: 401 AUTH_SECOND_FACTOR_INVALID; passkeys: 401 AUTH_PASSKEY_REJECTED, 400 ' +
            'AUTH_PASSKEY_CHALLENGE_INVALID; 404, 409 AUTH_CONFIRMATION_NOT_PENDING, 410 AUTH_CONFIRMATION_EXPIRED.',
          security: security.user,
          params,
          body: approveBody,
          response: { 200: confirmationApproved, ...errorResponses(400, 401, 404, 409, 410) },
        },
      },
      async (request) => {
        const user = userOf(request);
        const { passkey, totpCode, context: client } = request.body;
        if (passkey) return approveWithPasskey(ctx, user, request.params.id, { passkey, context: client });
        if (totpCode) return approveWithTotp(ctx, user, request.params.id, { totpCode, context: client });
        // The body schema lets exactly one through; a missing proof is a wrong one.
        throw authErrors.secondFactorInvalid();
      },
    );

    routes.post(
      '/v1/confirmations/:id/refuse',
      {
        schema: {
          tags: ['payment confirmation'],
          summary: 'The user did not make this payment: refuse it (counts toward the step-up lockout)',
          security: security.user,
          params,
          body: refuseConfirmationBody.nullish(),
          response: { 204: noContent, ...errorResponses(400, 401, 404, 409, 410) },
        },
      },
      async (request, reply) => {
        await refuseConfirmation(ctx, userOf(request), request.params.id, request.body?.context ?? {});
        return reply.status(204).send(null);
      },
    );

    routes.post(
      '/v1/confirmations/:id/token',
      {
        schema: {
          tags: ['payment confirmation'],
          summary: 'The wallet collects the token of an approval the user gave on the portal',
          description:
            'Wallet key and the user’s bearer. A freshly signed token (never stored) with the approval’s amr and acr, ' +
            'while the confirmation is approved and not redeemed, up to AUTH_CONFIRMATION_TTL_SECONDS after the ' +
            'approval. 404 AUTH_CONFIRMATION_NOT_FOUND; 409 AUTH_CONFIRMATION_NOT_APPROVED (pending), ' +
            'AUTH_CONFIRMATION_NOT_PENDING (refused), AUTH_CONFIRMATION_USED (redeemed); 410 AUTH_CONFIRMATION_EXPIRED.',
          security: security.user,
          params,
          response: { 200: confirmationApproved, ...errorResponses(400, 401, 404, 409, 410) },
        },
      },
      async (request) => issueApprovalToken(ctx, userOf(request), request.params.id),
    );

    routes.post(
      '/v1/confirmations/redeem',
      {
        schema: {
          tags: ['payment confirmation'],
          summary: 'Spend a confirmation token on the payment it binds (once)',
          description:
            '401 AUTH_CONFIRMATION_INVALID (signature, type, audience, expiry, frozen account); 422 ' +
            'AUTH_CONFIRMATION_MISMATCH when the transaction id, amount, currency or payee differs (details.fields); ' +
            '409 AUTH_CONFIRMATION_USED the second time.',
          security: security.wallet,
          body: redeemConfirmationBody,
          response: { 200: confirmationRedeemed, ...errorResponses(400, 401, 409, 422) },
        },
      },
      async (request) => redeemConfirmation(ctx, request.body),
    );
  },
  { name: 'auth-confirmation-routes', dependencies: USER_ROUTE_DEPENDENCIES },
);
