// Shared set-up for this service's tests (imported by *.test.ts only).
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CasesConfig, casesConfigSchema, parseConfig } from '@wallet-guard/config';
import { createEvent, type NewEvent, TOPICS } from '@wallet-guard/contracts';
import type { Infrastructure } from '@wallet-guard/runtime';
import { createTestDatabase, type TestDatabase, TestKafka, testEnv, testInfrastructure } from '@wallet-guard/testing';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { signDevAgentToken } from './agents/dev-agent-token';
import { createCasesServer } from './server';

export interface CasesHarness {
  db: TestDatabase;
  kafka: TestKafka | undefined;
  config: CasesConfig;
  infra: Infrastructure;
  server: FastifyInstance;
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
    testEnv(db, kafka, { CASES_SLA_CHECK_INTERVAL_MS: '3600000', ...options.env }),
  );
  const infra = await testInfrastructure(config, db);
  const server = await createCasesServer(config, infra);
  await infra.bus.start();
  const token = (agent: string, role: 'agent' | 'supervisor' | null = 'agent') =>
    signDevAgentToken({
      agent,
      ...(role ? { role } : {}),
      issuer: config.agentTokens.issuer,
      audience: config.agentTokens.audience,
    });
  return {
    db,
    kafka,
    config,
    infra,
    server,
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

export interface UpstreamCall {
  method: string;
  path: string;
  body: unknown;
}
type UpstreamAnswer = { status: number; body: unknown };
type UpstreamRoute = (call: UpstreamCall) => UpstreamAnswer | Promise<UpstreamAnswer>;

/**
 * auth's internal API and the monitor's flag routes, played by one small HTTP server: point
 * CASES_AUTH_URL and CASES_MONITOR_URL at `url`. Every call is kept in `calls`; `on` replaces the
 * answer of a route, and its handler may first do something else (another agent claiming the
 * case while auth "unlocks") to put a race exactly where a test wants it.
 */
export interface FakeUpstream {
  url: string;
  calls: UpstreamCall[];
  /** Flags the monitor knows: id -> account. */
  flags: Map<string, string>;
  /** Transactions the monitor flagged: transaction id -> account. */
  flaggedTransactions: Map<string, string>;
  on(method: 'GET' | 'POST', path: RegExp, route: UpstreamRoute): void;
  /** Back to the default answers (everything succeeds); `calls` is emptied. */
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeUpstream(): Promise<FakeUpstream> {
  const calls: UpstreamCall[] = [];
  const flags = new Map<string, string>();
  const flaggedTransactions = new Map<string, string>();
  let overrides: { method: string; path: RegExp; route: UpstreamRoute }[] = [];
  const defaults: { method: string; path: RegExp; route: UpstreamRoute }[] = [
    {
      method: 'GET',
      path: /^\/internal\/v1\/accounts\/([^/]+)$/,
      route: (call) => ({ status: 200, body: { accountId: call.path.split('/')[4], status: 'active', locked: true } }),
    },
    {
      method: 'POST',
      path: /^\/internal\/v1\/accounts\/[^/]+\/(unlock|freeze|unfreeze)$/,
      route: () => ({ status: 200, body: {} }),
    },
    {
      method: 'GET',
      path: /^\/v1\/flags\/[^/?]+$/,
      route: (call) => {
        const id = call.path.split('/')[3] ?? '';
        const accountId = flags.get(id);
        return accountId
          ? { status: 200, body: { id, accountId, feedback: [] } }
          : { status: 404, body: { error: { code: 'TXM_FLAG_NOT_FOUND', message: 'No flag' } } };
      },
    },
    { method: 'POST', path: /^\/v1\/flags\/[^/]+\/feedback$/, route: () => ({ status: 201, body: {} }) },
    {
      method: 'GET',
      path: /^\/v1\/flags\?/,
      route: (call) => {
        const transactionId = new URL(call.path, 'http://x').searchParams.get('transactionId') ?? '';
        const accountId = flaggedTransactions.get(transactionId);
        return {
          status: 200,
          body: { items: accountId ? [{ id: randomUUID(), transactionId, accountId }] : [], nextCursor: null },
        };
      },
    },
  ];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const call = { method: req.method ?? 'GET', path: req.url ?? '/', body: text ? JSON.parse(text) : undefined };
      calls.push(call);
      const match = [...overrides, ...defaults].find((r) => r.method === call.method && r.path.test(call.path));
      const answer = match ? await match.route(call) : { status: 404, body: { error: { code: 'NOT_FOUND' } } };
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    flags,
    flaggedTransactions,
    on: (method, path, route) => {
      overrides.unshift({ method, path, route });
    },
    reset: () => {
      overrides = [];
      calls.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
