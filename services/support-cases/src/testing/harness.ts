// Shared set-up for this service's tests (imported by *.test.ts only).
import { randomUUID } from 'node:crypto';
import { type CasesConfig, casesConfigSchema, parseConfig } from '@wallet-guard/config';
import { createEvent, type NewEvent, TOPICS } from '@wallet-guard/contracts';
import type { Infrastructure } from '@wallet-guard/runtime';
import { createTestDatabase, type TestDatabase, TestKafka, testEnv, testInfrastructure } from '@wallet-guard/testing';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { signDevAgentToken } from '../agents/dev-agent-token';
import type { CaseContext } from '../cases/case-context';
import { createCasesServer } from '../server';
import { TestClock } from './test-clock';

export interface CasesHarness {
  db: TestDatabase;
  kafka: TestKafka | undefined;
  config: CasesConfig;
  infra: Infrastructure;
  server: FastifyInstance;
  /** The service's clock: `clock.advance(ms)` moves time for everything the service does. */
  clock: TestClock;
  /** What domain functions called directly take: this service's clock and policies. */
  context: CaseContext;
  /** A bearer token for an agent (role omitted on purpose when `role` is null). */
  token(agent: string, role?: 'agent' | 'supervisor' | null): Promise<string>;
  /** inject() as an agent. */
  asAgent(agent: string, role: 'agent' | 'supervisor', options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** support-cases over its own database, with Kafka (a prefix of its own) or the embedded bus. */
export async function startCases(
  options: { kafka?: boolean; env?: Record<string, string> } = {},
): Promise<CasesHarness> {
  const db = await createTestDatabase();
  const kafka = options.kafka ? new TestKafka() : undefined;
  if (kafka) await kafka.createTopics();
  const config = parseConfig(
    casesConfigSchema,
    testEnv(db, kafka, {
      CASES_SLA_CHECK_INTERVAL_MS: '3600000',
      // 24/7 unless a test says otherwise: deadlines then do not depend on the weekday the tests
      // run on. Business-hours tests pass their own calendars.
      CASES_SLA_CALENDARS: 'P1=always,P2=always,P3=always,P4=always',
      ...options.env,
    }),
  );
  const infra = await testInfrastructure(config, db);
  const clock = new TestClock();
  const server = await createCasesServer(config, infra, undefined, { clock: clock.now });
  await infra.bus.start();
  const token = (agent: string, role: 'agent' | 'supervisor' | null = 'agent') =>
    signDevAgentToken({
      agent,
      ...(role ? { role } : {}),
      issuer: config.agentTokens.issuer,
      audience: config.agentTokens.audience,
      // Issued on the service's clock, which checks its expiry.
      issuedAt: clock.now(),
    });
  return {
    db,
    kafka,
    config,
    infra,
    server,
    clock,
    context: {
      clock: clock.now,
      sla: config.sla,
      assignment: config.assignment,
      satisfaction: config.satisfaction,
    },
    token,
    asAgent: async (agent, role, injectOptions) =>
      server.inject({
        ...injectOptions,
        headers: { ...injectOptions.headers, authorization: `Bearer ${await token(agent, role)}` },
      }),
    close: async () => {
      await server.close();
      await infra.close();
      await kafka?.cleanup();
      await db.drop();
    },
  };
}

export function securityEvent(event: Omit<NewEvent<typeof TOPICS.securityEvents>, 'version' | 'producer'>) {
  return createEvent(TOPICS.securityEvents, { version: 1, producer: 'auth', ...event } as NewEvent<
    typeof TOPICS.securityEvents
  >);
}

export function lockedEvent(accountId: string, failures = 5) {
  return securityEvent({
    type: 'account.locked',
    accountId,
    payload: {
      reason: 'too_many_failures',
      lockedUntil: new Date(Date.now() + 15 * 60_000).toISOString(),
      hard: false,
      failures,
      lockCount: 1,
      lastIp: '198.51.100.23',
    },
  });
}

export function theftEvent(accountId: string) {
  return createEvent(TOPICS.theftSuspected, {
    type: 'theft.suspected',
    version: 1,
    producer: 'transaction-monitor',
    accountId,
    payload: {
      flagIds: [randomUUID()],
      transactionIds: [`tx-${randomUUID().slice(0, 8)}`],
      securityEventIds: [randomUUID()],
      score: 85,
      reasons: [{ rule: 'after_security_change', points: 40, detail: 'Outgoing 10 minutes after 2FA was disabled' }],
      rulesVersion: 'test',
    },
  });
}

/** The open cases of an account, straight from the database. */
export async function casesOf(h: CasesHarness, accountId: string) {
  return h.db.db.selectFrom('cases').selectAll().where('account_id', '=', accountId).orderBy('opened_at').execute();
}
