import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler, RouteOptions } from 'fastify';

/**
 * Who may call a route. Declared once, in the route schema's `security` (through `requires`):
 * the OpenAPI document shows it, and the service kit enforces exactly that declaration, so the
 * documented and the enforced requirement cannot drift apart.
 */
export interface Access {
  /** An `X-Api-Key` holding this scope (`wallet`, `internal`). */
  apiKey?: string;
  /**
   * An `Authorization: Bearer` token: `true` for any valid one (auth's user access tokens), or a
   * role it must carry (support agents: `agent`, which a supervisor also holds, or `supervisor`).
   */
  bearer?: true | string;
}

/** One OpenAPI 3.1 security requirement object: scheme name -> scopes or roles. */
export type SecurityRequirement = Record<string, string[]>;

export type SecurityScheme = 'apiKey' | 'bearer';

/**
 * The OpenAPI `security` of a route: `[{ apiKey: ['wallet'] }]`, `[{ apiKey: ['wallet'], bearer: [] }]`,
 * `[{ bearer: ['supervisor'] }]`. OpenAPI 3.1 lets non-OAuth schemes list role names, so the
 * required scope is machine-readable (the authorisation tests derive their table from it).
 */
export function requires(access: Access): SecurityRequirement[] {
  const requirement: SecurityRequirement = {};
  if (access.apiKey) requirement.apiKey = [access.apiKey];
  if (access.bearer) requirement.bearer = access.bearer === true ? [] : [access.bearer];
  if (Object.keys(requirement).length === 0) throw new Error('requires() needs an apiKey scope, a bearer, or both');
  return [requirement];
}

/**
 * The reverse of `requires`, for tests and tools reading an OpenAPI document: `undefined` for a
 * route that declares no requirement (public). Throws on anything `requires` cannot produce.
 */
export function accessOf(security: readonly SecurityRequirement[] | undefined): Access | undefined {
  if (!security || security.length === 0) return undefined;
  if (security.length !== 1) throw new Error('alternative security requirements are not supported');
  const requirement = security[0] as SecurityRequirement;
  const access: Access = {};
  for (const [scheme, scopes] of Object.entries(requirement)) {
    if (scheme === 'apiKey' && scopes.length === 1) access.apiKey = scopes[0];
    else if (scheme === 'bearer' && scopes.length <= 1) access.bearer = scopes[0] ?? true;
    else throw new Error(`unsupported security requirement ${JSON.stringify(requirement)}`);
  }
  return access;
}

/** Builds the onRequest check of one scheme for a scope or role (`undefined`: any valid credential). */
export type Authenticator = (scopeOrRole: string | undefined) => onRequestHookHandler;

/** A route whose scheme was not registered yet when the route was (the kit's own routes). */
export interface DeferredCheck {
  scheme: SecurityScheme;
  /** `GET /metrics`, for the start-up error. */
  route: string;
}

/** Paths that need no credential: exact, or a prefix ending in `*`. */
export class PublicRoutes {
  private readonly exact = new Set<string>();
  private readonly prefixes: string[] = [];

  constructor(patterns: readonly string[]) {
    for (const pattern of patterns) {
      if (pattern.endsWith('*')) this.prefixes.push(pattern.slice(0, -1));
      else this.exact.add(pattern);
    }
  }

  has(url: string): boolean {
    return this.exact.has(url) || this.prefixes.some((prefix) => url.startsWith(prefix));
  }
}

/**
 * The onRoute step of the service kit: a route on the public list gets `security: []` in the
 * document (OpenAPI for "no credential"); every other route must declare `requires(...)`, and
 * gets the matching checks in front of its own onRequest hooks (API key first, then bearer).
 * A route that declares nothing stops the service at boot, naming the route. With `deferred`, a
 * scheme not registered yet is looked up at the first request and the route is recorded there,
 * for the caller to check once everything is registered; without it, a missing scheme throws.
 */
export function guardRoute(
  route: RouteOptions,
  publicRoutes: PublicRoutes,
  authenticators: ReadonlyMap<SecurityScheme, Authenticator>,
  deferred?: DeferredCheck[],
): void {
  const schema = (route.schema ?? {}) as { security?: SecurityRequirement[]; hide?: boolean };
  const method = Array.isArray(route.method) ? route.method.join(',') : route.method;
  if (publicRoutes.has(route.url)) {
    if (schema.security?.length) {
      throw new Error(`${method} ${route.url} is listed as public but declares a security requirement`);
    }
    if (route.schema && !schema.hide) schema.security = [];
    return;
  }
  const access = accessOf(schema.security);
  if (!access) {
    throw new Error(
      `${method} ${route.url} declares no security requirement: add schema.security = requires({...}) or list it as public`,
    );
  }
  const checks: onRequestHookHandler[] = [];
  for (const scheme of ['apiKey', 'bearer'] as const) {
    const wanted = access[scheme];
    if (wanted === undefined) continue;
    const scopeOrRole = wanted === true ? undefined : wanted;
    const authenticator = authenticators.get(scheme);
    if (authenticator) {
      checks.push(authenticator(scopeOrRole));
    } else if (deferred) {
      deferred.push({ scheme, route: `${method} ${route.url}` });
      checks.push(lateCheck(authenticators, scheme, scopeOrRole));
    } else {
      throw new Error(`${method} ${route.url} requires ${scheme}, but no ${scheme} authenticator is registered`);
    }
  }
  const own = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
  route.onRequest = [...checks, ...own];
}

/** The check of a scheme registered after the route: built at the first request, then reused. */
function lateCheck(
  authenticators: ReadonlyMap<SecurityScheme, Authenticator>,
  scheme: SecurityScheme,
  scopeOrRole: string | undefined,
): onRequestHookHandler {
  let check: onRequestHookHandler | undefined;
  return async function (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
    if (!check) {
      const authenticator = authenticators.get(scheme);
      if (!authenticator) throw new Error(`no ${scheme} authenticator is registered`);
      check = authenticator(scopeOrRole);
    }
    const hook = check;
    await new Promise<void>((resolve, reject) => {
      const result = hook.call(this, request, reply, (error?: Error) => (error ? reject(error) : resolve())) as unknown;
      if (result && typeof (result as Promise<void>).then === 'function')
        (result as Promise<void>).then(resolve, reject);
    });
  };
}
