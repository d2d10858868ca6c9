import { type AddressInfo, connect, createServer } from 'node:net';
import { Writable } from 'node:stream';
import { parseConfig, sha256Hex } from '@wallet-guard/config';
import { createMetricsRegistry } from '@wallet-guard/observability';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiKeyPlugin } from './api-keys';
import { AppError } from './errors';
import { requires } from './route-access';
import { serverOptions } from './server-options';
import { serviceKit } from './service-kit';

const logLines: string[] = [];
const logStream = new Writable({
  write(chunk, _enc, done) {
    logLines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  },
});

let ready = true;
let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify(serverOptions({ service: 'test', logLevel: 'info', logStream }));
  await app.register(serviceKit, {
    service: 'test',
    title: 'Test',
    description: 'kit under test',
    version: '1.0.0',
    errorPrefix: 'TEST',
    publicRoutes: ['/v1/things', '/v1/boom', '/v1/busy', '/v1/db-down'],
    readiness: {
      database: async () => {
        if (!ready) throw new Error('connection refused');
      },
    },
    sharedMetrics: [createMetricsRegistry('shared', { processMetrics: false })],
  });
  const keys = parseConfig(
    () =>
      z.object({ K: z.string() }).transform((env) => ({
        usingDevKeys: false,
        keys: env.K.split(',').map((entry) => {
          const [name, scopes, key] = entry.split(':') as [string, string, string];
          return { name, scopes: scopes.split('+'), sha256: sha256Hex(key) };
        }),
      })),
    { K: 'wallet-app:wallet:wallet-secret-key,cases:internal:internal-secret-key' },
  );
  await app.register(apiKeyPlugin, { keys, errorPrefix: 'TEST' });
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.post(
    '/v1/things',
    {
      schema: {
        body: z.object({ name: z.string().min(2), password: z.string(), count: z.number().int().max(10) }),
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (request, reply) => {
      request.log.info({ body: request.body }, 'creating a thing');
      return reply.status(201).send({ id: `thing-${request.body.name}` });
    },
  );
  routes.get('/v1/boom', async () => {
    throw new Error('SELECT * FROM secrets failed at db.internal:5432');
  });
  routes.get('/v1/db-down', async () => {
    // A real refused connection, as the pg driver meets it while Postgres restarts.
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    await new Promise((resolve, reject) => connect(closed, '127.0.0.1').once('connect', resolve).once('error', reject));
    return {};
  });
  routes.get('/v1/busy', async () => {
    throw new AppError(503, 'TEST_BUSY', 'Try again shortly', undefined, { 'Retry-After': '2' });
  });
  routes.get('/v1/wallet-only', { schema: { security: requires({ apiKey: 'wallet' }) } }, async (request) => ({
    caller: request.caller?.name,
  }));
  await app.ready();
});

afterAll(() => app.close());

describe('service kit', () => {
  it('answers a schema violation with 400 <PREFIX>_VALIDATION_FAILED and where it failed, never the values', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/things',
      payload: { name: 'x', password: 'hunter2-secret', count: 99 },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('TEST_VALIDATION_FAILED');
    expect(body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['/count', '/name']);
    expect(res.body).not.toContain('hunter2-secret');
  });

  it('answers malformed JSON, a wrong content type and an oversized body with stable 4xx codes', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/things',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'TEST_INVALID_JSON']);
    const xml = await app.inject({
      method: 'POST',
      url: '/v1/things',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect([xml.statusCode, xml.json().error.code]).toEqual([415, 'TEST_UNSUPPORTED_MEDIA_TYPE']);
    // A body that does not say what it is: refused, never read as nothing (RFC 9110 section 8.3).
    const untyped = await app.inject({ method: 'POST', url: '/v1/things', payload: Buffer.from('{"name":"x"}') });
    expect([untyped.statusCode, untyped.json().error.code]).toEqual([415, 'TEST_UNSUPPORTED_MEDIA_TYPE']);
    const huge = await app.inject({
      method: 'POST',
      url: '/v1/things',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'a'.repeat(2 * 1024 * 1024) }),
    });
    expect([huge.statusCode, huge.json().error.code]).toEqual([413, 'TEST_BODY_TOO_LARGE']);
  });

  it('answers an unknown route with 404 <PREFIX>_NOT_FOUND', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/nothing-here?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'TEST_NOT_FOUND', message: 'No route for GET /v1/nothing-here' } });
  });

  it('hides internals of an unexpected error behind 500 <PREFIX>_INTERNAL and logs it with the request id', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'TEST_INTERNAL', message: 'Something went wrong on our side' } });
    expect(res.body).not.toContain('secrets');
    const logged = logLines.map((l) => JSON.parse(l)).find((l) => l.msg === 'unhandled error');
    expect(logged.reqId).toBe(res.headers['x-request-id']);
    expect(logged.err.message).toContain('SELECT * FROM secrets');
  });

  it('answers 503 <PREFIX>_UNAVAILABLE with Retry-After when a dependency cannot be reached, not 500', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/db-down' });
    expect([res.statusCode, res.headers['retry-after'], res.json().error.code]).toEqual([503, '1', 'TEST_UNAVAILABLE']);
    expect(logLines.map((l) => JSON.parse(l)).some((l) => l.msg === 'a dependency is unavailable')).toBe(true);
  });

  it('sends an AppError with its status, code and headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/busy' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.json().error.code).toBe('TEST_BUSY');
  });

  it('requires an API key with the route scope: none 401, wrong scope 403, right one 200', async () => {
    const none = await app.inject({ method: 'GET', url: '/v1/wallet-only' });
    expect([none.statusCode, none.json().error.code]).toEqual([401, 'TEST_UNAUTHENTICATED']);
    const unknown = await app.inject({ method: 'GET', url: '/v1/wallet-only', headers: { 'x-api-key': 'guess' } });
    expect(unknown.statusCode).toBe(401);
    const wrongScope = await app.inject({
      method: 'GET',
      url: '/v1/wallet-only',
      headers: { 'x-api-key': 'internal-secret-key' },
    });
    expect([wrongScope.statusCode, wrongScope.json().error.code]).toEqual([403, 'TEST_FORBIDDEN']);
    const ok = await app.inject({
      method: 'GET',
      url: '/v1/wallet-only',
      headers: { 'x-api-key': 'wallet-secret-key' },
    });
    expect([ok.statusCode, ok.json()]).toEqual([200, { caller: 'wallet-app' }]);
  });

  it("documents each route's requirement as declared, and public routes with an empty one", async () => {
    const spec = (await app.inject({ url: '/docs/json' })).json();
    expect(spec.paths['/v1/wallet-only'].get.security).toEqual([{ apiKey: ['wallet'] }]);
    expect(spec.paths['/v1/things'].post.security).toEqual([]);
    expect(spec.paths['/healthz'].get.security).toEqual([]);
  });

  it('refuses to start with a route that declares nobody and is not public', async () => {
    const bare = Fastify(serverOptions({ service: 'test', logLevel: 'silent' }));
    await bare.register(serviceKit, {
      service: 'test',
      title: 'Test',
      description: 'kit under test',
      version: '1.0.0',
      errorPrefix: 'TEST',
      readiness: {},
      sharedMetrics: [],
    });
    expect(() => bare.get('/v1/forgotten', async () => ({ open: true }))).toThrow(
      /GET \/v1\/forgotten declares no security requirement/,
    );
    await bare.close();
  });

  it('keeps a sane X-Request-Id from the caller and replaces an unsafe one', async () => {
    const kept = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-42.a' } });
    expect(kept.headers['x-request-id']).toBe('trace-42.a');
    const replaced = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'bad id\n<script>' },
    });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers on every response', async () => {
    for (const url of ['/healthz', '/v1/nothing', '/v1/boom']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toContain('max-age=');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
  });

  it('never logs a password, API key or bearer token', async () => {
    await app.inject({
      method: 'POST',
      url: '/v1/things?token=query-token-value',
      headers: { 'x-api-key': 'wallet-secret-key', authorization: 'Bearer header-token-value' },
      payload: { name: 'logged', password: 'body-password-value', count: 1 },
    });
    const text = logLines.join('\n');
    expect(text).toContain('creating a thing');
    for (const secret of ['query-token-value', 'wallet-secret-key', 'header-token-value', 'body-password-value']) {
      expect(text).not.toContain(secret);
    }
  });

  it('serves /healthz, /readyz (503 when a dependency fails), /metrics and OpenAPI 3.1 at /docs', async () => {
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    ready = true;
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    ready = false;
    const down = await app.inject({ url: '/readyz' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({
      status: 'not_ready',
      checks: { database: { ok: false, error: 'connection refused' } },
    });
    ready = true;

    await app.inject({ method: 'POST', url: '/v1/things', payload: { name: 'metrics', password: 'p', count: 1 } });
    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/v1\/things"[^}]*\} 1/);
    expect(metrics.body).toContain('process_cpu_user_seconds_total');

    expect((await app.inject({ url: '/docs/' })).statusCode).toBe(200);
    const spec = (await app.inject({ url: '/docs/json' })).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.paths['/v1/things'].post.requestBody.content['application/json'].schema.required).toEqual([
      'name',
      'password',
      'count',
    ]);
  });
});

describe('service kit with the production operations settings', () => {
  async function kit(options: { withApiKeys: boolean }) {
    const closed = Fastify(serverOptions({ service: 'test', logLevel: 'silent' }));
    await closed.register(serviceKit, {
      service: 'test',
      title: 'Test',
      description: 'kit under test',
      version: '1.0.0',
      errorPrefix: 'TEST',
      readiness: {
        database: async () => {
          throw new Error('connect ECONNREFUSED 10.1.2.3:5432');
        },
      },
      sharedMetrics: [],
      operations: { metricsScope: 'metrics', readinessErrors: false },
    });
    if (options.withApiKeys) {
      await closed.register(apiKeyPlugin, {
        keys: {
          usingDevKeys: false,
          keys: [
            { name: 'prometheus', scopes: ['metrics'], sha256: sha256Hex('scrape-key') },
            { name: 'wallet-app', scopes: ['wallet'], sha256: sha256Hex('wallet-key') },
          ],
        },
        errorPrefix: 'TEST',
      });
    }
    return closed;
  }

  it('answers /metrics only to a key with the metrics scope and documents that', async () => {
    const closed = await kit({ withApiKeys: true });
    try {
      await closed.ready();
      expect((await closed.inject({ url: '/metrics' })).statusCode).toBe(401);
      expect((await closed.inject({ url: '/metrics', headers: { 'x-api-key': 'wallet-key' } })).statusCode).toBe(403);
      const scraped = await closed.inject({ url: '/metrics', headers: { 'x-api-key': 'scrape-key' } });
      expect(scraped.statusCode).toBe(200);
      expect(scraped.body).toContain('# TYPE');
      const spec = (await closed.inject({ url: '/docs/json' })).json();
      expect(spec.paths['/metrics'].get.security).toEqual([{ apiKey: ['metrics'] }]);
    } finally {
      await closed.close();
    }
  });

  it('names a failing readiness check without its error message', async () => {
    const closed = await kit({ withApiKeys: true });
    try {
      const down = await closed.inject({ url: '/readyz' });
      expect([down.statusCode, down.json()]).toEqual([
        503,
        { status: 'not_ready', checks: { database: { ok: false } } },
      ]);
    } finally {
      await closed.close();
    }
  });

  it('refuses to start when /metrics needs an API key and no API-key plugin is registered', async () => {
    const closed = await kit({ withApiKeys: false });
    await expect(closed.ready()).rejects.toThrow(/GET \/metrics requires apiKey/);
    await closed.close();
  });

  it('marks every answer no-store unless the route chose its own caching', async () => {
    for (const url of ['/healthz', '/readyz', '/v1/things', '/v1/nothing']) {
      expect((await app.inject({ url })).headers['cache-control']).toBe('no-store');
    }
  });
});
