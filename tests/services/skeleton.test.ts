import { createAuthServer } from '@wallet-guard/auth/server';
import {
  authConfigSchema,
  casesConfigSchema,
  monitorConfigSchema,
  notifierConfigSchema,
  parseConfig,
  type ServiceConfig,
} from '@wallet-guard/config';
import { createNotifierServer } from '@wallet-guard/notifier/server';
import type { Infrastructure } from '@wallet-guard/runtime';
import { createCasesServer } from '@wallet-guard/support-cases/server';
import { createTestDatabase, type TestDatabase, TestKafka, testEnv, testInfrastructure } from '@wallet-guard/testing';
import { createMonitorServer } from '@wallet-guard/transaction-monitor/server';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// biome-ignore lint/suspicious/noExplicitAny: each row pairs a schema with its own server factory
type Factory = (config: any, infra: Infrastructure) => Promise<FastifyInstance>;

const services: [string, string, (mode: 'test') => unknown, Factory][] = [
  ['auth', 'Auth service', authConfigSchema, createAuthServer],
  ['transaction-monitor', 'Transaction monitor', monitorConfigSchema, createMonitorServer],
  ['support-cases', 'Support cases', casesConfigSchema, createCasesServer],
  ['notifier', 'Notifier', notifierConfigSchema, createNotifierServer],
];

let kafka: TestKafka;
beforeAll(async () => {
  kafka = new TestKafka();
});
afterAll(() => kafka.cleanup());

describe.each(services)('%s skeleton', (_name, title, schema, create) => {
  let db: TestDatabase;
  let infra: Infrastructure;
  let server: FastifyInstance;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = parseConfig(schema as never, testEnv(db, kafka)) as ServiceConfig;
    infra = await testInfrastructure(config, db);
    server = await create(config, infra);
    await infra.bus.start();
  });

  afterAll(async () => {
    await server.close();
    await infra.close();
    await db.drop();
  });

  it('answers /healthz and /readyz (database and Kafka reachable)', async () => {
    expect((await server.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await server.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: { ok: true }, kafka: { ok: true } } });
  });

  it('serves Prometheus metrics and its OpenAPI 3.1 document', async () => {
    const metrics = await server.inject({ url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('# TYPE process_cpu_user_seconds_total counter');
    const spec = (await server.inject({ url: '/docs/json' })).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.info.title).toBe(title);
    expect(spec.paths['/readyz'].get.responses).toHaveProperty('503');
    expect((await server.inject({ url: '/docs/' })).statusCode).toBe(200);
  });

  it('answers 503 on /readyz once its database is gone', async () => {
    await db.close();
    const res = await server.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().checks.database.ok).toBe(false);
    expect(res.json().checks.kafka.ok).toBe(true);
  });
});

describe('readiness without a reachable broker', () => {
  it('answers 503 naming kafka when the configured broker does not answer', async () => {
    const db = await createTestDatabase();
    const config = parseConfig(authConfigSchema, testEnv(db, undefined, { KAFKA_BROKERS: '127.0.0.1:1' }));
    const infra = await testInfrastructure(config, db);
    const server = await createAuthServer(config, infra);
    try {
      const res = await server.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json().checks.kafka.ok).toBe(false);
      expect(res.json().checks.database.ok).toBe(true);
    } finally {
      await server.close();
      await infra.close();
      await db.drop();
    }
  });
});
