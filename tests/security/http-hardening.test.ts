// Security headers on every answer of every service (successes, refusals, errors, the docs, the
// console, answers written before routing), `Cache-Control: no-store` on every API answer, the body size limit on every route that takes a
// body, and the request timeout: a client that sends its request slowly is cut off with a 408.
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentToken, FAST_ARGON2, keyFor, signedInUser } from './callers';
import { type DocumentedRoute, documentedRoutes, urlOf } from './documented-routes';
import { type Services, startServices } from './services';

const REQUEST_TIMEOUT_MS = 1_000;

let system: Services;
beforeAll(async () => {
  system = await startServices({ ...FAST_ARGON2, HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) });
});
afterAll(() => system.stop());

const services = () => ({
  auth: { app: system.auth.server, url: system.auth.url, prefix: 'AUTH' },
  monitor: { app: system.monitor.server, url: system.monitor.url, prefix: 'TXM' },
  cases: { app: system.cases.server, url: system.cases.url, prefix: 'CASE' },
});

type Headers = Record<string, string | string[] | number | undefined>;

/** The headers every answer carries ('' when all are there), whatever its status or origin. */
function missingSecurityHeaders(headers: Headers): string {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const problems = [];
  if (lower['x-content-type-options'] !== 'nosniff') problems.push('x-content-type-options');
  if (!/max-age=\d+/.test(lower['strict-transport-security'] ?? '')) problems.push('strict-transport-security');
  if (!lower['content-security-policy']) problems.push('content-security-policy');
  if (!lower['x-frame-options']) problems.push('x-frame-options');
  if (!lower['referrer-policy']) problems.push('referrer-policy');
  if (lower['x-powered-by']) problems.push('x-powered-by is set');
  return problems.join(', ');
}

async function credentials(app: FastifyInstance, route: DocumentedRoute): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  if (route.access?.apiKey) headers['x-api-key'] = keyFor(route.access.apiKey);
  if (route.access?.bearer === true) {
    headers.authorization = `Bearer ${(await signedInUser(app)).accessToken}`;
  } else if (route.access?.bearer) headers.authorization = `Bearer ${await agentToken('hdr', 'supervisor')}`;
  return headers;
}

describe('security headers', () => {
  it('are on every answer of every route: refused, invalid, accepted, not found', async () => {
    const missing: string[] = [];
    let answers = 0;
    for (const [name, service] of Object.entries(services())) {
      const check = (what: string, res: LightMyRequestResponse, api = false) => {
        answers += 1;
        const problem = missingSecurityHeaders(res.headers);
        if (problem) missing.push(`${name} ${what} (${res.statusCode}): ${problem}`);
        // API answers carry tokens, codes and account data: no cache may keep them.
        if (api && !/\bno-store\b/.test(String(res.headers['cache-control'] ?? ''))) {
          missing.push(`${name} ${what} (${res.statusCode}): cache-control no-store`);
        }
      };
      for (const route of await documentedRoutes(service.app)) {
        const url = urlOf(route, Object.fromEntries(route.pathParams.map((p) => [p.name, randomUUID()])));
        const body = route.body ? { payload: [] } : {};
        const method = route.method as 'GET';
        // Public keys are meant to be cached by verifiers (the JWKS sets its own max-age).
        const api = route.name !== 'GET /.well-known/jwks.json';
        check(`${route.name} without credentials`, await service.app.inject({ method, url, ...body }), api);
        const headers = await credentials(system.auth.server, route);
        check(`${route.name} with credentials`, await service.app.inject({ method, url, headers, ...body }), api);
      }
      const extra: [string, InjectOptions][] = [
        ['an unknown route', { method: 'GET', url: '/v1/nothing-here' }],
        ['a URL that cannot be decoded', { method: 'GET', url: '/v1/%E0%A4%A' }],
        ['a path parameter past the limit', { method: 'GET', url: `/v1/flags/${'a'.repeat(300)}` }],
        [
          'malformed JSON',
          { method: 'POST', url: '/v1/nothing', headers: { 'content-type': 'application/json' }, payload: '{' },
        ],
        ['the API docs page', { method: 'GET', url: '/docs' }],
        ['the API document', { method: 'GET', url: '/docs/json' }],
        ['a HEAD request', { method: 'HEAD', url: '/healthz' }],
      ];
      if (name === 'cases') {
        extra.push(
          ['the console page', { method: 'GET', url: '/console/' }],
          ['a console file', { method: 'GET', url: '/console/favicon.svg' }],
          ['a missing console file', { method: 'GET', url: '/console/nope.js' }],
        );
      }
      for (const [what, request] of extra) check(what, await service.app.inject(request));
    }
    expect(missing).toEqual([]);
    expect(answers).toBeGreaterThan(120);
  });

  it('are on answers to a URL fastify cannot route, with a stable code', async () => {
    for (const service of Object.values(services())) {
      const withParam = (await documentedRoutes(service.app)).find((r) => r.pathParams.length > 0) as DocumentedRoute;
      const at = (value: string) => urlOf(withParam, { [withParam.pathParams[0]?.name as string]: value }, true);
      for (const [url, status, suffix] of [
        [at('%FF%FE'), 400, 'BAD_REQUEST'],
        [at('a'.repeat(300)), 414, 'URI_TOO_LONG'],
      ] as const) {
        const res = await service.app.inject({ method: 'GET', url });
        expect([url, res.statusCode, res.json().error.code]).toEqual([url, status, `${service.prefix}_${suffix}`]);
        expect(missingSecurityHeaders(res.headers)).toBe('');
      }
    }
  });
});

describe('body size limit', () => {
  it('refuses a body past 1 MiB on every route that takes one: 413 <PREFIX>_BODY_TOO_LARGE', async () => {
    const wrong: string[] = [];
    let routes = 0;
    for (const service of Object.values(services())) {
      for (const route of (await documentedRoutes(service.app)).filter((r) => r.body)) {
        routes += 1;
        const url = urlOf(route, Object.fromEntries(route.pathParams.map((p) => [p.name, randomUUID()])));
        const res = await service.app.inject({
          method: route.method as 'POST',
          url,
          headers: { ...(await credentials(system.auth.server, route)), 'content-type': 'application/json' },
          payload: JSON.stringify({ padding: 'x'.repeat(1024 * 1024) }),
        });
        const code = res.json()?.error?.code;
        if (res.statusCode !== 413 || code !== `${service.prefix}_BODY_TOO_LARGE`) {
          wrong.push(`${route.name}: ${res.statusCode} ${code}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(routes).toBeGreaterThan(30);
  });

  it('refuses a declared Content-Length past the limit over the network before reading the body', async () => {
    for (const service of Object.values(services())) {
      const answer = await rawExchange(
        service.url,
        'POST /v1/nothing HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n{',
        3_000,
      );
      expect(answer.text).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer.text).toContain(`${service.prefix}_BODY_TOO_LARGE`);
    }
  });
});

describe('request timeout (HTTP_REQUEST_TIMEOUT_MS)', () => {
  it('cuts off a request whose body trickles in: 408 <PREFIX>_REQUEST_TIMEOUT with the security headers, within seconds', async () => {
    for (const service of Object.values(services())) {
      const started = Date.now();
      const answer = await rawExchange(
        service.url,
        'POST /v1/nothing HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":',
        10_000,
        // One byte every 200 ms: the connection never goes idle, the request never completes.
        (socket) => setInterval(() => socket.write(' '), 200),
      );
      const elapsed = Date.now() - started;
      expect(answer.text).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer.text).toContain(`"code":"${service.prefix}_REQUEST_TIMEOUT"`);
      expect(answer.text.toLowerCase()).toContain('x-content-type-options: nosniff');
      expect(answer.closed).toBe(true);
      // Cut off near the configured second, not after the 15 s default (generous for a busy machine).
      expect(elapsed).toBeLessThan(REQUEST_TIMEOUT_MS + 4_000);
    }
  });

  it('cuts off headers that never end the same way', async () => {
    const answer = await rawExchange(system.auth.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\n', 10_000, (socket) =>
      setInterval(() => socket.write('X-Slow: 1\r\n'), 200),
    );
    expect(answer.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer.text).toContain('AUTH_REQUEST_TIMEOUT');
  });

  it('answers bytes that are not HTTP with 400 <PREFIX>_BAD_REQUEST and closes the connection', async () => {
    const answer = await rawExchange(system.monitor.url, '\u0000\u0001GARBAGE / NOT-HTTP\r\n\r\n', 3_000);
    expect(answer.text).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer.text).toContain('TXM_BAD_REQUEST');
    expect(answer.closed).toBe(true);
  });
});

/** Writes raw bytes to the service and collects what comes back until it closes (or `waitMs`). */
function rawExchange(
  url: string,
  request: string,
  waitMs: number,
  keepWriting?: (socket: ReturnType<typeof connect>) => NodeJS.Timeout,
): Promise<{ text: string; closed: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    let timer: NodeJS.Timeout | undefined;
    const done = (closed: boolean) => {
      clearTimeout(deadline);
      if (timer) clearInterval(timer);
      socket.destroy();
      resolve({ text, closed });
    };
    const deadline = setTimeout(() => done(false), waitMs);
    socket.on('connect', () => {
      socket.write(request);
      if (keepWriting) timer = keepWriting(socket);
    });
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => done(true));
  });
}
