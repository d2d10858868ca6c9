// Runs the monitor against a test database (and, when given, this file's slice of the broker).
import { randomUUID } from 'node:crypto';
import { type Env, type MonitorConfig, monitorConfigSchema, parseConfig } from '@wallet-guard/config';
import {
  createEvent,
  type SecurityEvent,
  TOPICS,
  type TransactionCreated,
  type WalletTransaction,
} from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { Infrastructure } from '@wallet-guard/runtime';
import { createTestDatabase, type TestDatabase, TestKafka, testEnv, testInfrastructure } from '@wallet-guard/testing';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock';
import { createMonitorServer } from '../server';

export interface RunningMonitor {
  server: FastifyInstance;
  infra: Infrastructure;
  config: MonitorConfig;
  db: TestDatabase;
  close(): Promise<void>;
}

/** A test file's own topics (ensureTopics retries while a busy broker settles new topics). */
export async function testTopics(): Promise<TestKafka> {
  const kafka = new TestKafka();
  await kafka.createTopics();
  return kafka;
}

/**
 * A monitor on its own database; on the broker when `kafka` is given, on the embedded bus
 * otherwise; on `clock` when given (freeze retries and retention follow it), the system clock otherwise.
 */
export async function startMonitor(
  options: { kafka?: TestKafka; env?: Env; poolMax?: number; database?: TestDatabase; clock?: Clock } = {},
): Promise<RunningMonitor> {
  // A shared database (several instances of one deployment) stays for its owner to drop.
  const db = options.database ?? (await createTestDatabase({ poolMax: options.poolMax ?? 5 }));
  const config = parseConfig(monitorConfigSchema, testEnv(db, options.kafka, options.env));
  const infra = await testInfrastructure(config, db);
  const server = await createMonitorServer(config, infra, undefined, { clock: options.clock });
  await infra.bus.start();
  return {
    server,
    infra,
    config,
    db,
    close: async () => {
      await server.close();
      await infra.close();
      if (!options.database) await db.drop();
    },
  };
}

export const WALLET_KEY = { 'x-api-key': 'dev-wallet-key' };
export const INTERNAL_KEY = { 'x-api-key': 'dev-internal-key' };

/** The envelope the wallet backend puts on `wallet.transactions.v1`. */
export const transactionEvent = (tx: WalletTransaction, eventId: string = randomUUID()): TransactionCreated =>
  createEvent(TOPICS.walletTransactions, {
    eventId,
    type: 'transaction.created',
    version: 1,
    producer: 'wallet',
    accountId: tx.accountId,
    payload: tx,
  });

/** An auth security event of `type` for `accountId`. */
export function securityEvent(
  type: SecurityEvent['type'],
  accountId: string,
  occurredAt: string,
  payload: Record<string, unknown> = {},
): SecurityEvent {
  return createEvent(TOPICS.securityEvents, {
    type,
    version: 1,
    producer: 'auth',
    accountId,
    occurredAt,
    payload,
  } as never);
}

export const asRecord = (event: { accountId: string }) => ({ key: event.accountId, value: JSON.stringify(event) });

export async function flagOf(db: Kysely<Database>, transactionId: string) {
  return db.selectFrom('monitor_flags').selectAll().where('transaction_id', '=', transactionId).executeTakeFirst();
}

/** Waits until the security events are stored: Kafka orders nothing across topics. */
export async function storedSecurityEvents(db: Kysely<Database>, eventIds: readonly string[]): Promise<boolean> {
  const rows = await db
    .selectFrom('monitor_security_events')
    .select('event_id')
    .where('event_id', 'in', eventIds as string[])
    .execute();
  return rows.length === eventIds.length;
}

/** Events this instance's bus applied (and committed) for a consumer group: free to read, no query. */
export async function appliedEvents(monitor: RunningMonitor, group = 'transaction-monitor.transactions') {
  const metric = monitor.infra.metrics.getSingleMetric('events_applied_total');
  const values = metric ? (await metric.get()).values : [];
  return values.filter((v) => v.labels.group === group).reduce((sum, v) => sum + v.value, 0);
}
