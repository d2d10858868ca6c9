import { z } from 'zod';
import { booleanFlag, databaseUrl, kafkaBrokers, logLevel, positiveInt, topicPrefix } from './fields';
import type { RuntimeMode } from './load-config';

export interface DatabaseConfig {
  /** Set: a real Postgres. Unset: the embedded one (PGlite). */
  url: string | undefined;
  /** Where the embedded database keeps its files; ":memory:" keeps nothing. */
  dataDir: string;
  poolMax: number;
  /** Run pending migrations at start (on by default; turn off when a release job migrates). */
  migrateOnStart: boolean;
}

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  topicPrefix: string;
}

export interface OutboxConfig {
  /** How often the relay looks for unsent events when it found none last time. */
  pollIntervalMs: number;
  batchSize: number;
}

export interface HttpConfig {
  /** Longest a whole request (headers and body) may take to arrive before a 408. */
  requestTimeoutMs: number;
}

/**
 * Who may read the operational endpoints. `/metrics` shows counters anyone could correlate with
 * their own requests, `/readyz` failure messages name hosts and ports: both stay open on a
 * developer's machine and are closed to strangers in production.
 */
export interface OperationsConfig {
  /** Set: `/metrics` needs an X-Api-Key holding this scope (`metrics`). Unset: it is public. */
  metricsScope: string | undefined;
  /** False: `/readyz` names the failing checks but not their error messages (which stay in the log). */
  readinessErrors: boolean;
}

export interface CommonConfig {
  mode: RuntimeMode;
  logLevel: z.infer<typeof logLevel>;
  /** Set: logs are appended to this file instead of written to stdout. */
  logFile: string | undefined;
  host: string;
  http: HttpConfig;
  database: DatabaseConfig;
  /** Unset: no broker; outbox events go to in-process subscribers (embedded mode). */
  kafka: KafkaConfig | undefined;
  outbox: OutboxConfig;
  operations: OperationsConfig;
}

/** Variables every service reads, with the reason each exists. */
export const commonShape = {
  LOG_LEVEL: logLevel,
  // Where no log collector reads stdout (a VM with logrotate, a test run that scans every line).
  LOG_FILE: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined)),
  // A client that sends its request slowly holds a socket and memory: cut it off (408) after this.
  HTTP_REQUEST_TIMEOUT_MS: positiveInt(15_000),
  // 127.0.0.1 keeps a developer's services off the network; containers set 0.0.0.0.
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: databaseUrl,
  DATA_DIR: z.string().min(1).default('.data'),
  DB_POOL_MAX: positiveInt(10),
  DB_MIGRATE_ON_START: booleanFlag(true),
  KAFKA_BROKERS: kafkaBrokers,
  KAFKA_CLIENT_ID: z.string().optional(),
  // Lets several deployments, or several test files, share one Kafka cluster without crosstalk.
  KAFKA_TOPIC_PREFIX: topicPrefix,
  OUTBOX_POLL_INTERVAL_MS: positiveInt(100),
  OUTBOX_BATCH_SIZE: positiveInt(500),
  // Scrapes of /metrics need an API key with the `metrics` scope (`pnpm api-key --scopes metrics`).
  // On by default in production only; turn it off there only when /metrics cannot be reached from
  // outside (a scrape-only listener or network), since its counters move with strangers' requests.
  METRICS_REQUIRE_API_KEY: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1')),
  // /readyz names each failing check; its error message (hosts, ports, database users) is shown only
  // when this is on: by default outside production. The message is always logged.
  READINESS_ERROR_DETAILS: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1')),
};

type CommonEnv = z.infer<z.ZodObject<typeof commonShape>>;

export function toCommonConfig(env: CommonEnv, mode: RuntimeMode, service: string): CommonConfig {
  return {
    mode,
    logLevel: env.LOG_LEVEL,
    logFile: env.LOG_FILE,
    host: env.HOST,
    http: { requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS },
    database: {
      url: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      poolMax: env.DB_POOL_MAX,
      migrateOnStart: env.DB_MIGRATE_ON_START,
    },
    kafka: env.KAFKA_BROKERS
      ? { brokers: env.KAFKA_BROKERS, clientId: env.KAFKA_CLIENT_ID ?? service, topicPrefix: env.KAFKA_TOPIC_PREFIX }
      : undefined,
    outbox: { pollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS, batchSize: env.OUTBOX_BATCH_SIZE },
    operations: {
      metricsScope: (env.METRICS_REQUIRE_API_KEY ?? mode === 'production') ? 'metrics' : undefined,
      readinessErrors: env.READINESS_ERROR_DETAILS ?? mode !== 'production',
    },
  };
}
