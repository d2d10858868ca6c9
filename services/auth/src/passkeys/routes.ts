import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { authContextOf } from '../application';
import {
  context,
  errorResponses,
  noContent,
  opaqueToken,
  password,
  security,
  tokenPair,
  USER_ROUTE_DEPENDENCIES,
} from '../http-schemas';
import { refuseIfRestricted, userFromAuthorization, userOf } from '../tokens/user-auth';
import { listOwnPasskeys, removeOwnPasskey, renameOwnPasskey } from './manage';
import { passkeySignInOptions, secondStepOptions, signInWithPasskey } from './passkey-sign-in';
import { finishRegistration, startRegistration } from './registration';
import { stepUpOptions } from './step-up-options';
import { authenticationResponse, passkeyName, passkeyProof, registrationResponse } from './webauthn-json';

const passkeyView = z.object({
  id: z.uuid(),
  name: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  lastUsedAt: z.iso.datetime({ offset: true }).nullable(),
  /** `multiDevice`: synced (backup eligible, W3C WebAuthn L3 flag BE); `singleDevice`: bound to one authenticator. */
  deviceType: z.enum(['singleDevice', 'multiDevice']),
  backupEligible: z.boolean(),
  /** Flag BS at the last use: the key is in a backup now. */
  backedUp: z.boolean(),
  transports: z.array(z.string()),
  /** The authenticator model; all zeros with attestation `none` on most authenticators. */
  aaguid: z.string(),
});

/** Options for `navigator.credentials.create()` / `.get()` in @simplewebauthn's JSON form (base64url binaries). */
const ceremony = z.object({
  /** Send it back with the browser's answer; single use, expires after AUTH_WEBAUTHN_CHALLENGE_TTL_SECONDS. */
  ceremonyId: z.uuid(),
  options: z.record(z.string(), z.unknown()),
});

const idParams = z.object({ id: z.uuid() });

/** Ceremonies are single-use and per user: no cache between the wallet and its user may keep them. */
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

const REJECTIONS =
  '401 AUTH_PASSKEY_REJECTED for every refused answer (unknown credential, bad signature, wrong origin or RP id, ' +
  'no user verification, a signature counter that went backwards, a locked or frozen account); 400 ' +
  'AUTH_PASSKEY_CHALLENGE_INVALID for an unknown, used or expired ceremony or one started for something else.';

/** Passkeys (W3C WebAuthn Level 3): registration and management, usernameless sign-in, second step and step-up options. */
export const passkeyRoutes = fp(
  async (app: FastifyInstance) => {
    const ctx = authContextOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.get(
      '/v1/accounts/me/passkeys',
      {
        schema: {
          tags: ['passkeys'],
          summary: "The signed-in user's passkeys, newest first",
          security: security.user,
          response: { 200: z.object({ items: z.array(passkeyView) }), ...errorResponses(401) },
        },
      },
      async (request) => ({ items: await listOwnPasskeys(ctx, userOf(request)) }),
    );

    routes.post(
      '/v1/accounts/me/passkeys/registration-options',
      {
        schema: {
          tags: ['passkeys'],
          summary: 'Start registering a passkey (a discoverable credential with user verification, attestation none)',
          description:
            'Needs the current password in the body, or a sign-in within AUTH_RECENT_SIGN_IN_SECONDS (300): else 401 ' +
            'AUTH_REAUTHENTICATION_REQUIRED. A wrong password is 401 AUTH_INVALID_CREDENTIALS and counts towards the ' +
            "lockout. The options exclude the account's passkeys.",
          security: security.user,
          body: z.object({ password: password.optional(), context }).nullish(),
          response: { 201: ceremony, ...errorResponses(400, 401, 503) },
        },
      },
      async (request, reply) => {
        const started = await startRegistration(ctx, userOf(request), request.body ?? { context: {} });
        return noStore(reply).status(201).send(started);
      },
    );

    routes.post(
      '/v1/accounts/me/passkeys',
      {
        schema: {
          tags: ['passkeys'],
          summary: "Finish registering with the browser's answer; the owner is told, with a freeze link",
          description:
            "400 AUTH_PASSKEY_CHALLENGE_INVALID (unknown, used, expired or another user's ceremony), 401 " +
            'AUTH_PASSKEY_REJECTED (the answer does not verify: origin, RP id, user verification, challenge), 409 ' +
            'AUTH_PASSKEY_ALREADY_REGISTERED.',
          security: security.user,
          body: z.object({
            ceremonyId: z.uuid(),
            response: registrationResponse,
            name: passkeyName.optional(),
            context,
          }),
          response: { 201: passkeyView, ...errorResponses(400, 401, 409) },
        },
      },
      async (request, reply) => {
        const view = await finishRegistration(ctx, userOf(request), request.body);
        return reply.status(201).send(view);
      },
    );

    routes.patch(
      '/v1/accounts/me/passkeys/:id',
      {
        schema: {
          tags: ['passkeys'],
          summary: 'Rename one of your passkeys (404 AUTH_PASSKEY_NOT_FOUND when it is not yours)',
          security: security.user,
          params: idParams,
          body: z.object({ name: passkeyName }),
          response: { 200: passkeyView, ...errorResponses(400, 401, 404) },
        },
      },
      async (request) => renameOwnPasskey(ctx, userOf(request), request.params.id, request.body.name),
    );

    routes.delete(
      '/v1/accounts/me/passkeys/:id',
      {
        schema: {
          tags: ['passkeys'],
          summary: 'Remove one of your passkeys; the owner is told, with a freeze link',
          description:
            '404 AUTH_PASSKEY_NOT_FOUND when it is not yours. Removing the last strong factor (no authenticator app, ' +
            'no other passkey) needs the current password, a passkey answer (step-up purpose remove_passkey) or a ' +
            'sign-in within AUTH_RECENT_SIGN_IN_SECONDS (300): else 401 AUTH_REAUTHENTICATION_REQUIRED.',
          security: security.user,
          params: idParams,
          body: z.object({ password: password.optional(), passkey: passkeyProof.optional(), context }).nullish(),
          response: { 204: noContent, ...errorResponses(400, 401, 404, 503) },
        },
      },
      async (request, reply) => {
        await removeOwnPasskey(ctx, userOf(request), request.params.id, request.body ?? { context: {} });
        return reply.status(204).send(null);
      },
    );

    routes.post(
      '/v1/passkeys/authentication-options',
      {
        schema: {
          tags: ['passkeys'],
          summary: 'Options for a usernameless passkey sign-in (no allowCredentials; user verification required)',
          description: '429 AUTH_RATE_LIMITED when the client IP is over its failure budget.',
          security: security.wallet,
          body: z.object({ context }).nullish(),
          response: { 200: ceremony, ...errorResponses(400, 401, 429) },
        },
      },
      async (request, reply) => noStore(reply).send(await passkeySignInOptions(ctx, request.body?.context ?? {})),
    );

    routes.post(
      '/v1/sessions/passkey',
      {
        schema: {
          tags: ['sessions'],
          summary:
            'Sign in with a passkey (usernameless): tokens with amr [hwk|swk, user], acr aal2:phishing-resistant',
          description: `${REJECTIONS} Failures count towards the lockout like wrong passwords. 429 AUTH_RATE_LIMITED.`,
          security: security.wallet,
          body: z.object({ ceremonyId: z.uuid(), response: authenticationResponse, context }),
          response: { 200: tokenPair, ...errorResponses(400, 401, 429) },
        },
      },
      async (request) => signInWithPasskey(ctx, request.body),
    );

    routes.post(
      '/v1/sessions/mfa/passkey-options',
      {
        schema: {
          tags: ['sessions'],
          summary: "Passkey options for the second sign-in step (allowCredentials = the account's passkeys)",
          description:
            "Does not spend one of the mfaToken's attempts. 401 AUTH_INVALID_TOKEN; 404 AUTH_PASSKEY_NOT_FOUND when " +
            'the account has no passkey. Answer with POST /v1/sessions/mfa {mfaToken, passkey}.',
          security: security.wallet,
          body: z.object({ mfaToken: opaqueToken }),
          response: { 200: ceremony, ...errorResponses(400, 401, 404) },
        },
      },
      async (request, reply) => noStore(reply).send(await secondStepOptions(ctx, request.body.mfaToken)),
    );

    routes.post(
      '/v1/passkeys/step-up-options',
      {
        schema: {
          tags: ['passkeys'],
          summary:
            'Passkey options for a step-up (unlock, reset, password change, disable, regenerate, remove_passkey)',
          description:
            "Unlock and password_reset name the account with the e-mail link's token (checked, not used up); the other " +
            'purposes with the Authorization: Bearer access token. 401 AUTH_INVALID_TOKEN / AUTH_INVALID_ACCESS_TOKEN ' +
            'without them; 404 AUTH_PASSKEY_NOT_FOUND when the account has no passkey. The answer goes in the ' +
            "step-up route's passkey field, for that purpose only.",
          security: security.wallet,
          body: z.object({
            purpose: z.enum(['unlock', 'password_reset', 'password_change', 'disable', 'regenerate', 'remove_passkey']),
            token: opaqueToken.optional(),
          }),
          response: { 200: ceremony, ...errorResponses(400, 401, 404) },
        },
      },
      async (request, reply) => {
        const user = await userFromAuthorization(ctx, request.headers.authorization);
        refuseIfRestricted(user, request.body.purpose === 'password_change');
        const started = await stepUpOptions(ctx, { ...request.body, user });
        return noStore(reply).send(started);
      },
    );
  },
  { name: 'auth-passkey-routes', dependencies: USER_ROUTE_DEPENDENCIES },
);
