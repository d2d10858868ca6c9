import type { ZodTypeProvider } from '@wallet-guard/http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { authContextOf } from '../application';
import { errorResponses, ROUTE_DEPENDENCIES, security } from '../http-schemas';
import { activeAccessClaims } from './access-check';

const jwk = z.object({
  kty: z.string(),
  crv: z.string(),
  x: z.string(),
  kid: z.string(),
  alg: z.literal('EdDSA'),
  use: z.literal('sig'),
});

const introspection = z.union([
  z.object({
    active: z.literal(true),
    sub: z.uuid(),
    sid: z.uuid(),
    /** RFC 8176: pwd, otp, recovery, hwk (device-bound passkey) or swk (synced passkey) with user. */
    amr: z.array(z.string()),
    /** NIST SP 800-63B-4 authenticator assurance level: 1 or 2. */
    aal: z.number().int(),
    acr: z
      .enum(['urn:wallet-guard:acr:aal1', 'urn:wallet-guard:acr:aal2', 'urn:wallet-guard:acr:aal2:phishing-resistant'])
      .describe('The assurance reached: aal2:phishing-resistant when a passkey was used'),
    exp: z.number().int(),
    /** While the session is restricted: `password_change` (its state now, not the token's claim). */
    rst: z.literal('password_change').optional(),
  }),
  z.object({ active: z.literal(false) }),
]);

/** The public keys access tokens are signed with, and token introspection for the wallet backend. */
export const tokenRoutes = fp(
  async (app: FastifyInstance) => {
    const ctx = authContextOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    // Public on purpose: it holds public keys only, and verifiers must fetch it without a secret.
    routes.get(
      '/.well-known/jwks.json',
      {
        schema: {
          tags: ['tokens'],
          summary: 'Public keys that verify access tokens (current and previous)',
          response: { 200: z.object({ keys: z.array(jwk) }) },
        },
      },
      async (_request, reply) => {
        reply.header('cache-control', 'public, max-age=300');
        return ctx.accessTokens.jwks();
      },
    );

    routes.post(
      '/v1/tokens/introspect',
      {
        schema: {
          tags: ['tokens'],
          summary: 'Is this access token valid now, and for whom (RFC 7662 style)?',
          description: 'Inactive when the signature, expiry or audience is wrong, or its session has ended.',
          security: security.wallet,
          body: z.object({ token: z.string().min(1).max(4096) }),
          response: { 200: introspection, ...errorResponses(400, 401) },
        },
      },
      async (request) => {
        const claims = await activeAccessClaims(ctx, request.body.token);
        if (!claims) return { active: false as const };
        return {
          active: true as const,
          sub: claims.sub,
          sid: claims.sid,
          amr: claims.amr,
          aal: claims.aal,
          acr: claims.acr,
          exp: claims.exp,
          ...(claims.restriction ? { rst: claims.restriction } : {}),
        };
      },
    );
  },
  { name: 'auth-token-routes', dependencies: ROUTE_DEPENDENCIES },
);
