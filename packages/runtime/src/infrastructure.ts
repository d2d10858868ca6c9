import { join } from 'node:path';
import type { CommonConfig } from '@wallet-guard/config';
import { type Database, type DatabaseHandle, migrateToLatest, openDatabase } from '@wallet-guard/db';
import { createEventBus, type EventBus } from '@wallet-guard/messaging';
import {
  createLogger,
  createMetricsRegistry,
  type Logger,
  type ReadinessCheck,
  type Registry,
} from '@wallet-guard/observability';
import type { Kysely } from 'kysely';

/** What a service app needs from the outside world; tests build it from their own database. */
export interface Infrastructure {
  db: Kysely<Database>;
  database: DatabaseHandle;
  bus: EventBus;
  logger: Logger;
  /** Registry for metrics that belong to the process (bus, consumers), served by every app. */
  metrics: Registry;
  /** Dependencies /readyz checks. */
  readiness: Record<string, ReadinessCheck>;
  close(): Promise<void>;
}

export interface OpenInfrastructureOptions {
  /** Name for logs and metrics: a service, or "standalone". */
  name: string;
  /** Use this database instead of opening one (tests, or services sharing one in a process). */
  database?: DatabaseHandle;
  logger?: Logger;
}

/**
 * Opens the database (pg or embedded), applies pending migrations, and creates the event bus
 * (Kafka when brokers are configured, in-process otherwise). Logs where everything is.
 */
export async function openInfrastructure(
  config: CommonConfig,
  options: OpenInfrastructureOptions,
): Promise<Infrastructure> {
  const logger =
    options.logger ?? createLogger({ service: options.name, level: config.logLevel, file: config.logFile });
  const database =
    options.database ??
    (await openDatabase({
      url: config.database.url,
      dataDir: config.database.dataDir === ':memory:' ? ':memory:' : join(config.database.dataDir, 'pglite'),
      poolMax: config.database.poolMax,
      applicationName: options.name,
      onConnectionError: (error) => logger.warn({ err: error }, 'database connection lost; the pool reconnects'),
    }));
  if (config.database.migrateOnStart) {
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  }
  logger.info({ database: database.location, kind: database.kind }, 'database open');

  const metrics = createMetricsRegistry(options.name, { processMetrics: false });
  const bus = createEventBus({
    db: database.db,
    kafka: config.kafka,
    logger,
    metrics,
    outbox: config.outbox,
  });
  logger.info(
    bus.mode === 'kafka'
      ? { kafka: config.kafka?.brokers, topicPrefix: config.kafka?.topicPrefix }
      : { bus: 'embedded (no broker: events are delivered in-process)' },
    'event bus ready',
  );

  const readiness: Record<string, ReadinessCheck> = { database: () => database.ping() };
  if (bus.mode === 'kafka') readiness.kafka = () => bus.ping();

  return {
    db: database.db,
    database,
    bus,
    logger,
    metrics,
    readiness,
    close: async () => {
      await bus.stop();
      if (!options.database) await database.close();
    },
  };
}
