// Who may call what, over every route of every service: the table comes from each service's
// OpenAPI document (the security requirement `requires(...)` declares and the service kit
// enforces), so a new route joins the table by being documented. For each route: no credential
// -> 401, a wrong scope or role -> 403, the right one -> neither.
import { randomUUID } from 'node:crypto';
import type { Access } from '@wallet-guard/http';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentToken, FAST_ARGON2, keyFor, otherKey, signedInUser } from './callers';
import { type DocumentedRoute, documentedRoutes, urlOf } from './documented-routes';
import { type Services, startServices } from './services';

/** Routes that answer anyone, by service: listed here so a route turning public is a visible change. */
const PUBLIC_ROUTES = {
  auth: ['GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /.well-known/jwks.json'],
  monitor: ['GET /healthz', 'GET /readyz', 'GET /metrics'],
  cases: ['GET /healthz', 'GET /readyz', 'GET /metrics'],
} as const;
/** Public and left out of the documents: the API documents themselves and the agent console's files. */
const UNDOCUMENTED_PUBLIC = {
  auth: ['/docs', '/docs/json'],
  monitor: ['/docs', '/docs/json'],
  cases: ['/docs', '/docs/json', '/console', '/console/favicon.svg'],
} as const;

type ServiceKey = keyof typeof PUBLIC_ROUTES;
const PREFIX: Record<ServiceKey, string> = { auth: 'AUTH', monitor: 'TXM', cases: 'CASE' };

interface Attempt {
  /** What the caller presents, in words (the failure message names it). */
  caller: string;
  headers: Record<string, string>;
  expect: 401 | 403 | 'through';
}

let system: Services;
const apps = (): Record<ServiceKey, FastifyInstance> => ({
  auth: system.auth.server,
  monitor: system.monitor.server,
  cases: system.cases.server,
});

beforeAll(async () => {
  system = await startServices(FAST_ARGON2);
});
afterAll(() => system.stop());

/** The attempts that matter for a route's requirement, each with the answer it must get. */
async function attemptsFor(access: Access): Promise<Attempt[]> {
  const attempts: Attempt[] = [{ caller: 'nothing', headers: {}, expect: 401 }];
  // A user access token of a fresh account for every route: the right call may end the session.
  const userBearer: Record<string, string> =
    access.bearer === true ? { authorization: `Bearer ${(await signedInUser(system.auth.server)).accessToken}` } : {};
  if (access.apiKey) {
    const scope = access.apiKey;
    attempts.push(
      {
        caller: 'an unknown API key',
        headers: { 'x-api-key': 'wg_not-a-key-anyone-was-given', ...userBearer },
        expect: 401,
      },
      {
        caller: `a key without the "${scope}" scope`,
        headers: { 'x-api-key': otherKey(scope), ...userBearer },
        expect: 403,
      },
    );
  }
  if (access.bearer === true) {
    const key = { 'x-api-key': keyFor(access.apiKey as string) };
    attempts.push(
      { caller: 'the right key but no access token', headers: key, expect: 401 },
      {
        caller: 'the right key and a malformed token',
        headers: { ...key, authorization: 'Bearer not.a.jwt' },
        expect: 401,
      },
      {
        caller: 'the right key and an agent token instead of a user token',
        headers: { ...key, authorization: `Bearer ${await agentToken('mallory', 'supervisor')}` },
        expect: 401,
      },
    );
  } else if (access.bearer) {
    const role = access.bearer;
    attempts.push(
      { caller: 'a malformed token', headers: { authorization: 'Bearer not.a.jwt' }, expect: 401 },
      { caller: 'an API key instead of a token', headers: { 'x-api-key': keyFor('internal') }, expect: 401 },
      {
        caller: 'a token without a role',
        headers: { authorization: `Bearer ${await agentToken('visitor')}` },
        expect: 403,
      },
      {
        caller: 'a token with a role that is not an agent role',
        headers: { authorization: `Bearer ${await agentToken('cust', 'customer')}` },
        expect: 403,
      },
    );
    if (role === 'supervisor') {
      attempts.push({
        caller: 'an agent on a supervisors-only route',
        headers: { authorization: `Bearer ${await agentToken('alice', 'agent')}` },
        expect: 403,
      });
    }
  }
  // The right caller last: its call may change state (end a session, start an enrolment).
  const right: Record<string, string> = {};
  if (access.apiKey) right['x-api-key'] = keyFor(access.apiKey);
  if (access.bearer === true) Object.assign(right, userBearer);
  else if (access.bearer) right.authorization = `Bearer ${await agentToken('carol', access.bearer)}`;
  attempts.push({ caller: 'the right credentials', headers: right, expect: 'through' });
  return attempts;
}

/** One call; the body is not valid for any route, so a call that gets through stops at validation. */
function call(app: FastifyInstance, route: DocumentedRoute, headers: Record<string, string>) {
  const url = urlOf(route, Object.fromEntries(route.pathParams.map((p) => [p.name, randomUUID()])));
  return app.inject({
    method: route.method as 'GET',
    url,
    headers,
    ...(route.body ? { payload: [] } : {}),
  });
}

describe('authorisation over every documented route', () => {
  for (const service of Object.keys(PUBLIC_ROUTES) as ServiceKey[]) {
    it(`${service}: no credential 401, wrong scope or role 403, the right one through; public routes are the listed ones`, async () => {
      const app = apps()[service];
      const routes = await documentedRoutes(app);
      const guarded = routes.filter((r) => r.access);
      expect(routes.filter((r) => !r.access).map((r) => r.name)).toEqual(PUBLIC_ROUTES[service]);
      expect(guarded.length).toBeGreaterThan(service === 'monitor' ? 5 : 15);

      const mismatches: string[] = [];
      let checked = 0;
      for (const route of guarded) {
        for (const attempt of await attemptsFor(route.access as Access)) {
          const res = await call(app, route, attempt.headers);
          checked += 1;
          const code = String(res.headers['content-type'] ?? '').includes('json') ? res.json()?.error?.code : undefined;
          const ok =
            attempt.expect === 'through'
              ? res.statusCode !== 401 && res.statusCode !== 403 && res.statusCode < 500
              : res.statusCode === attempt.expect && new RegExp(`^${PREFIX[service]}_[A-Z_]+$`).test(code ?? '');
          if (!ok)
            mismatches.push(`${route.name} with ${attempt.caller}: ${res.statusCode} ${code ?? res.body.slice(0, 80)}`);
        }
      }
      console.log(
        `authorisation ${service}: ${guarded.length} guarded routes, ${checked} requests, ${mismatches.length} wrong`,
      );
      expect(mismatches).toEqual([]);
      expect(checked).toBeGreaterThan(guarded.length * 3);

      for (const name of PUBLIC_ROUTES[service]) {
        const res = await app.inject({ method: 'GET', url: name.split(' ')[1] as string });
        expect([name, res.statusCode]).toEqual([name, 200]);
      }
      for (const url of UNDOCUMENTED_PUBLIC[service]) {
        const res = await app.inject({ method: 'GET', url });
        // The console answers 503 CASE_CONSOLE_NOT_BUILT until it is built; never 401 or 403.
        expect([url, [200, 302, 503].includes(res.statusCode)]).toEqual([url, true]);
      }
    });
  }
});
