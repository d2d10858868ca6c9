import { type MonitorConfig, monitorConfigSchema } from '@wallet-guard/config';
import { serverOptions } from '@wallet-guard/http';
import { type Infrastructure, isEntryPoint, runService } from '@wallet-guard/runtime';
import Fastify, { type FastifyInstance } from 'fastify';
import { type MonitorAppOptions, monitorApp } from './app';

/** What tests may pass besides config and infrastructure. */
export type MonitorServerExtras = Pick<MonitorAppOptions, 'clock'>;

/** The transaction-monitor HTTP server, built and ready but not listening (tests call `inject`). */
export async function createMonitorServer(
  config: MonitorConfig,
  infra: Infrastructure,
  logStream?: NodeJS.WritableStream,
  extras: MonitorServerExtras = {},
): Promise<FastifyInstance> {
  const server = Fastify(
    serverOptions({
      service: 'transaction-monitor',
      errorPrefix: 'TXM',
      logLevel: config.logLevel,
      logFile: config.logFile,
      logStream,
      http: config.http,
    }),
  );
  await server.register(monitorApp, { config, infra, ...extras });
  await server.ready();
  return server;
}

if (isEntryPoint(import.meta.url)) {
  await runService({
    name: 'transaction-monitor',
    configSchema: monitorConfigSchema,
    createServer: createMonitorServer,
  });
}
