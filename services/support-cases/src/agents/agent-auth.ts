import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import type { AgentActor } from '../cases/actor';
import type { Clock } from '../clock';
import { caseErrors } from '../errors';

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook: a valid agent token; with 'supervisor', that role only. */
    requireAgent(role?: 'supervisor'): onRequestHookHandler;
  }
  interface FastifyRequest {
    agent: AgentActor | null;
  }
}

export interface AgentAuthOptions {
  jwks: JSONWebKeySet;
  issuer: string;
  audience: string;
  /** The longest lifetime a token may have, in seconds (CASES_AGENT_TOKEN_MAX_AGE_SECONDS). */
  maxAgeSeconds: number;
  /** The service's clock: expiry and lifetime are checked against it. */
  clock: Clock;
}

/** Seconds of clock difference tolerated between the identity provider and this service. */
const CLOCK_TOLERANCE_SECONDS = 30;

const ROLES = ['agent', 'supervisor'] as const;
const AGENT_NAME = /^[A-Za-z0-9._@-]{1,100}$/;

/**
 * Agents authenticate with a bearer JWT signed by a key in the configured JWKS (the company's
 * identity provider, or the development key `pnpm agent-token` signs with). The token must carry
 * `exp`, and live at most `maxAgeSeconds`: `exp - iat` (or `exp - now` without `iat`) above the cap is
 * refused, and so is an `iat` in the future, so no token works forever (ASVS 4.0 V3.3.2).
 * No or a bad token: 401 CASE_UNAUTHENTICATED. A valid token without the role `agent` or `supervisor`, or a
 * supervisor-only route for an agent: 403 CASE_FORBIDDEN.
 */
export const agentAuthPlugin = fp<AgentAuthOptions>(
  async (app: FastifyInstance, options) => {
    const keys = createLocalJWKSet(options.jwks);
    app.decorateRequest('agent', null);
    app.decorate('requireAgent', (required?: 'supervisor'): onRequestHookHandler => {
      return async (request: FastifyRequest) => {
        const header = request.headers.authorization;
        // The scheme name is case-insensitive (RFC 7235 2.1): "bearer x" is the same as "Bearer x".
        const token = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '')?.[1];
        if (!token) throw caseErrors.unauthenticated('An agent bearer token is required');
        const now = options.clock();
        let claims: Record<string, unknown>;
        try {
          ({ payload: claims } = await jwtVerify(token, keys, {
            issuer: options.issuer,
            audience: options.audience,
            algorithms: ['EdDSA', 'ES256', 'RS256'],
            clockTolerance: CLOCK_TOLERANCE_SECONDS,
            requiredClaims: ['exp'],
            currentDate: now,
          }));
        } catch {
          throw caseErrors.unauthenticated('The agent token is invalid or expired');
        }
        if (!lifetimeOk(claims, options.maxAgeSeconds, now.getTime() / 1000)) {
          throw caseErrors.unauthenticated('The agent token lives longer than this service allows');
        }
        const role = claims.role;
        const name = claims.sub;
        if (typeof name !== 'string' || !AGENT_NAME.test(name)) {
          throw caseErrors.unauthenticated('The agent token names no agent');
        }
        if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
          throw caseErrors.forbidden('The token carries no agent or supervisor role');
        }
        if (required === 'supervisor' && role !== 'supervisor') {
          throw caseErrors.forbidden('Only a supervisor may do this');
        }
        request.agent = { kind: 'agent', name, role: role as AgentActor['role'] };
      };
    });
    // `requires({ bearer: 'agent' })` lets agents and supervisors in; `'supervisor'` only supervisors.
    app.registerAuthenticator('bearer', (role) => {
      if (role !== 'agent' && role !== 'supervisor') {
        throw new Error(`an agent route requires the role agent or supervisor (got ${String(role)})`);
      }
      return app.requireAgent(role === 'supervisor' ? 'supervisor' : undefined);
    });
  },
  { name: 'agent-auth', fastify: '5.x', dependencies: ['service-kit'] },
);

/**
 * A token's lifetime, from when it was issued (or from now when it does not say) to `exp`, is at
 * most `maxAgeSeconds` plus the clock tolerance; a token without a numeric `exp` never is, nor one
 * that says it was issued later than now (beyond the tolerance): its issuer's clock is wrong or the
 * token was not made by an issuer at all, and its `iat` cannot be trusted to measure its age
 * (RFC 7519 4.1.6 leaves the check to the recipient). Pure: `now` in seconds since the epoch.
 */
function lifetimeOk(claims: Record<string, unknown>, maxAgeSeconds: number, now: number): boolean {
  const { exp, iat } = claims;
  if (typeof exp !== 'number') return false;
  if (typeof iat === 'number' && iat > now + CLOCK_TOLERANCE_SECONDS) return false;
  const from = typeof iat === 'number' ? Math.min(iat, now) : now;
  return exp - from <= maxAgeSeconds + CLOCK_TOLERANCE_SECONDS;
}

/** The agent of a request that passed `requireAgent` (a programming error otherwise). */
export function agentOf(request: FastifyRequest): AgentActor {
  if (!request.agent) throw new Error('route is missing the requireAgent hook');
  return request.agent;
}
