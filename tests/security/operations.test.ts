// Kind 6 (what the services tell strangers), on all three services: with the production setting
// (METRICS_REQUIRE_API_KEY, on by default in production) /metrics needs an API key holding the
// `metrics` scope, and says so in the OpenAPI document; with READINESS_ERROR_DETAILS off (the
// production default) /readyz names a failing check without its error message. The probes and
// the API documents stay open.
import { createAuthServer } from '@wallet-guard/auth/server';
import { authConfigSchema, parseConfig, sha256Hex } from '@wallet-guard/config';
import { createTestDatabase, testEnv, testInfrastructure } from '@wallet-guard/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_ARGON2, INTERNAL_KEY, WALLET_KEY } from './callers';
import { type Services, startServices } from './services';

const METRICS_KEY = 'a-long-random-prometheus-key';
const keys = [
  `wallet:wallet:${sha256Hex(WALLET_KEY)}`,
  `internal:internal:${sha256Hex(INTERNAL_KEY)}`,
  `prometheus:metrics:${sha256Hex(METRICS_KEY)}`,
].join(',');

let system: Services;
beforeAll(async () => {
  system = await startServices({
    ...FAST_ARGON2,
    METRICS_REQUIRE_API_KEY: 'true',
    READINESS_ERROR_DETAILS: 'false',
    AUTH_API_KEYS: keys,
    MONITOR_API_KEYS: keys,
    CASES_API_KEYS: keys,
  });
});
afterAll(() => system.stop());

const apps = (): Record<string, [FastifyInstance, string]> => ({
  auth: [system.auth.server, 'AUTH'],
  monitor: [system.monitor.server, 'TXM'],
  cases: [system.cases.server, 'CASE'],
});

describe('operational endpoints with the production settings', () => {
  it('answer /metrics only to a key with the metrics scope, on every service', async () => {
    for (const [name, [app, prefix]] of Object.entries(apps())) {
      const anonymous = await app.inject({ url: '/metrics' });
      expect([name, anonymous.statusCode, anonymous.json().error.code]).toEqual([
        name,
        401,
        `${prefix}_UNAUTHENTICATED`,
      ]);
      expect(anonymous.body).not.toContain('_total');
      const wallet = await app.inject({ url: '/metrics', headers: { 'x-api-key': WALLET_KEY } });
      expect([name, wallet.statusCode]).toEqual([name, 403]);
      const scraper = await app.inject({ url: '/metrics', headers: { 'x-api-key': METRICS_KEY } });
      expect([name, scraper.statusCode]).toEqual([name, 200]);
      expect(scraper.body).toContain('# TYPE');
      const spec = (await app.inject({ url: '/docs/json' })).json();
      expect([name, spec.paths['/metrics'].get.security]).toEqual([name, [{ apiKey: ['metrics'] }]]);
    }
  });

  it('keep /healthz, /readyz and /docs open, and /readyz says no more than which check failed', async () => {
    for (const [name, [app]] of Object.entries(apps())) {
      expect([name, (await app.inject({ url: '/healthz' })).statusCode]).toEqual([name, 200]);
      const ready = await app.inject({ url: '/readyz' });
      expect([name, ready.statusCode]).toEqual([name, 200]);
      for (const check of Object.values(ready.json().checks as Record<string, object>)) {
        expect(Object.keys(check)).toEqual(['ok']);
      }
      expect([name, (await app.inject({ url: '/docs/json' })).statusCode]).toEqual([name, 200]);
    }
  });

  it('/readyz names a failing dependency without its error message (which names hosts and ports)', async () => {
    const db = await createTestDatabase();
    const env = { READINESS_ERROR_DETAILS: 'false', KAFKA_BROKERS: '127.0.0.1:1' };
    const config = parseConfig(authConfigSchema, testEnv(db, undefined, env));
    const infra = await testInfrastructure(config, db);
    const server = await createAuthServer(config, infra);
    try {
      const down = await server.inject({ url: '/readyz' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({ status: 'not_ready', checks: { database: { ok: true }, kafka: { ok: false } } });
    } finally {
      await server.close();
      await infra.close();
      await db.drop();
    }
  });
});
