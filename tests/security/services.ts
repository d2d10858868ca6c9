// The three services for tests that only talk HTTP to them: each its own database, listening on a
// random port, auth and the monitor reachable by support-cases, events on each one's in-process
// bus (no broker: these tests are about what answers a request, and start in a second).
import { createAuthServer } from '@wallet-guard/auth/server';
import { authConfigSchema, casesConfigSchema, monitorConfigSchema, parseConfig } from '@wallet-guard/config';
import type { Infrastructure } from '@wallet-guard/runtime';
import { createCasesServer } from '@wallet-guard/support-cases/server';
import { createTestDatabase, type TestDatabase, testEnv, testInfrastructure } from '@wallet-guard/testing';
import { createMonitorServer } from '@wallet-guard/transaction-monitor/server';
import type { FastifyInstance } from 'fastify';

export interface ServiceUnderTest {
  server: FastifyInstance;
  infra: Infrastructure;
  db: TestDatabase;
  url: string;
}

export interface Services {
  auth: ServiceUnderTest;
  monitor: ServiceUnderTest;
  cases: ServiceUnderTest;
  stop(): Promise<void>;
}

async function start(
  create: (db: TestDatabase) => Promise<{ server: FastifyInstance; infra: Infrastructure }>,
): Promise<ServiceUnderTest> {
  const db = await createTestDatabase();
  const { server, infra } = await create(db);
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  await infra.bus.start();
  return { server, infra, db, url };
}

/** Starts auth, the monitor and support-cases; `env` adds variables to all three. */
export async function startServices(env: Record<string, string> = {}): Promise<Services> {
  const auth = await start(async (db) => {
    const config = parseConfig(authConfigSchema, testEnv(db, undefined, env));
    const infra = await testInfrastructure(config, db);
    return { server: await createAuthServer(config, infra), infra };
  });
  const monitor = await start(async (db) => {
    const config = parseConfig(monitorConfigSchema, testEnv(db, undefined, { MONITOR_AUTH_URL: auth.url, ...env }));
    const infra = await testInfrastructure(config, db);
    return { server: await createMonitorServer(config, infra), infra };
  });
  const cases = await start(async (db) => {
    const config = parseConfig(
      casesConfigSchema,
      testEnv(db, undefined, { CASES_AUTH_URL: auth.url, CASES_MONITOR_URL: monitor.url, ...env }),
    );
    const infra = await testInfrastructure(config, db);
    return { server: await createCasesServer(config, infra), infra };
  });
  return {
    auth,
    monitor,
    cases,
    stop: async () => {
      for (const s of [cases, monitor, auth]) {
        await s.server.close();
        await s.infra.close();
        await s.db.drop();
      }
    },
  };
}
