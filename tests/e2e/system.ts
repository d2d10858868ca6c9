// The services wired as in production, for end-to-end tests and benchmarks: each its own
// Postgres database, one Kafka broker (a topic prefix of its own), real HTTP between them. The
// notifier joins when a test asks for it (with the SMTP server it should send to).
import { createAuthServer } from '@wallet-guard/auth/server';
import {
  authConfigSchema,
  casesConfigSchema,
  monitorConfigSchema,
  notifierConfigSchema,
  parseConfig,
} from '@wallet-guard/config';
import { createNotifierServer } from '@wallet-guard/notifier/server';
import type { Infrastructure } from '@wallet-guard/runtime';
import { signDevAgentToken } from '@wallet-guard/support-cases/dev-agent-token';
import { createCasesServer } from '@wallet-guard/support-cases/server';
import { createTestDatabase, type TestDatabase, TestKafka, testEnv, testInfrastructure } from '@wallet-guard/testing';
import { createMonitorServer } from '@wallet-guard/transaction-monitor/server';
import type { FastifyInstance } from 'fastify';

export interface RunningService {
  server: FastifyInstance;
  infra: Infrastructure;
  db: TestDatabase;
  url: string;
}

export interface System {
  kafka: TestKafka;
  auth: RunningService;
  monitor: RunningService;
  cases: RunningService;
  /** Present when `startSystem` was given `notifier` settings. */
  notifier: RunningService | undefined;
  /** A token support-cases accepts, issued at support-cases' "now". */
  agentToken(agent: string, role?: 'agent' | 'supervisor'): Promise<string>;
  /** Support-cases' "now" (its injected clock): real time plus what `advanceCasesClock` added. */
  casesNow(): Date;
  /** Moves support-cases' clock forward, as if `ms` went by (SLA deadlines, breaches). */
  advanceCasesClock(ms: number): void;
  stop(): Promise<void>;
}

async function start(
  create: (db: TestDatabase) => Promise<{ server: FastifyInstance; infra: Infrastructure }>,
): Promise<RunningService> {
  const db = await createTestDatabase();
  const { server, infra } = await create(db);
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  await infra.bus.start();
  return { server, infra, db, url };
}

/**
 * Starts auth, the monitor and support-cases, and the notifier when `options.notifier` holds its
 * variables (e.g. `NOTIFIER_SMTP_URL` of a test's SMTP sink); `env` adds variables to all.
 */
export async function startSystem(
  env: Record<string, string> = {},
  options: { notifier?: Record<string, string> } = {},
): Promise<System> {
  const kafka = new TestKafka();
  await kafka.createTopics();
  const auth = await start(async (db) => {
    const config = parseConfig(authConfigSchema, testEnv(db, kafka, env));
    const infra = await testInfrastructure(config, db);
    return { server: await createAuthServer(config, infra), infra };
  });
  const monitor = await start(async (db) => {
    const config = parseConfig(monitorConfigSchema, testEnv(db, kafka, { MONITOR_AUTH_URL: auth.url, ...env }));
    const infra = await testInfrastructure(config, db);
    return { server: await createMonitorServer(config, infra), infra };
  });
  const notifierEnv = options.notifier;
  const notifier = notifierEnv
    ? await start(async (db) => {
        const config = parseConfig(
          notifierConfigSchema,
          testEnv(db, kafka, {
            NOTIFIER_AUTH_URL: auth.url,
            NOTIFIER_RETRY_BASE_MS: '100',
            NOTIFIER_RETRY_MAX_MS: '500',
            ...env,
            ...notifierEnv,
          }),
        );
        const infra = await testInfrastructure(config, db);
        return { server: await createNotifierServer(config, infra), infra };
      })
    : undefined;
  let tokenSettings = { issuer: '', audience: '' };
  let casesOffsetMs = 0;
  const casesNow = () => new Date(Date.now() + casesOffsetMs);
  const cases = await start(async (db) => {
    const config = parseConfig(
      casesConfigSchema,
      testEnv(db, kafka, {
        CASES_AUTH_URL: auth.url,
        CASES_MONITOR_URL: monitor.url,
        ...(notifier ? { CASES_NOTIFIER_URL: notifier.url } : {}),
        ...env,
      }),
    );
    tokenSettings = config.agentTokens;
    const infra = await testInfrastructure(config, db);
    return { server: await createCasesServer(config, infra, undefined, { clock: casesNow }), infra };
  });
  return {
    kafka,
    auth,
    monitor,
    cases,
    notifier,
    agentToken: (agent, role = 'agent') =>
      signDevAgentToken({
        agent,
        role,
        issuer: tokenSettings.issuer,
        audience: tokenSettings.audience,
        issuedAt: casesNow(),
      }),
    casesNow,
    advanceCasesClock: (ms) => {
      casesOffsetMs += ms;
    },
    stop: async () => {
      for (const s of [cases, ...(notifier ? [notifier] : []), monitor, auth]) {
        await s.server.close();
        await s.infra.close();
        await s.db.drop();
      }
      await kafka.cleanup();
    },
  };
}
