import type { CommonConfig, Env } from '@wallet-guard/config';
import type { DatabaseHandle } from '@wallet-guard/db';
import { createLogger, type Logger } from '@wallet-guard/observability';
import { type Infrastructure, openInfrastructure } from '@wallet-guard/runtime';
import type { TestKafka } from './kafka';
import type { TestDatabase } from './postgres';

/**
 * The file every service under test appends its logs to, when the run captures them (the global
 * set-up of `tests/vitest.config.ts` sets it and scans the file for secrets at the end).
 */
export const TEST_LOG_FILE = process.env.TEST_LOG_FILE || undefined;

/** The log level of services under test: debug while capturing (the most that could leak), else quiet. */
export const testLogLevel = (): string => process.env.TEST_LOG_LEVEL ?? (TEST_LOG_FILE ? 'debug' : 'silent');

/**
 * Environment for a service under test: its own database, and (when given) the broker with
 * this file's topic prefix. Without `kafka` the service runs on the embedded bus.
 */
export function testEnv(db: TestDatabase, kafka?: TestKafka, extra: Env = {}): Env {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: testLogLevel(),
    ...(TEST_LOG_FILE ? { LOG_FILE: TEST_LOG_FILE } : {}),
    DATABASE_URL: db.url,
    OUTBOX_POLL_INTERVAL_MS: '25',
    ...(kafka ? { KAFKA_BROKERS: kafka.brokers.join(','), KAFKA_TOPIC_PREFIX: kafka.prefix } : {}),
    ...extra,
  };
}

/** The infrastructure a service app needs, over a test database that the test owns and drops. */
export function testInfrastructure(
  config: CommonConfig,
  database: DatabaseHandle,
  logger?: Logger,
): Promise<Infrastructure> {
  return openInfrastructure(config, {
    name: 'test',
    database,
    logger:
      logger ??
      createLogger({
        service: 'service' in config ? String(config.service) : 'test',
        level: config.logLevel,
        file: config.logFile,
      }),
  });
}
