import { type NotifierConfig, notifierConfigSchema } from '@wallet-guard/config';
import { serverOptions } from '@wallet-guard/http';
import { type Infrastructure, isEntryPoint, runService } from '@wallet-guard/runtime';
import Fastify, { type FastifyInstance } from 'fastify';
import { type NotifierAppOptions, notifierApp } from './app';

/** Hooks tests pass in; see `NotifierAppOptions`. */
export type NotifierServerExtras = Pick<NotifierAppOptions, 'clock'>;

/** The notifier's HTTP server, built and ready but not listening (tests call `inject`). */
export async function createNotifierServer(
  config: NotifierConfig,
  infra: Infrastructure,
  logStream?: NodeJS.WritableStream,
  extras: NotifierServerExtras = {},
): Promise<FastifyInstance> {
  const server = Fastify(
    serverOptions({
      service: 'notifier',
      errorPrefix: 'NOTIFIER',
      logLevel: config.logLevel,
      logFile: config.logFile,
      logStream,
      http: config.http,
    }),
  );
  await server.register(notifierApp, { config, infra, ...extras });
  await server.ready();
  return server;
}

if (isEntryPoint(import.meta.url)) {
  await runService({ name: 'notifier', configSchema: notifierConfigSchema, createServer: createNotifierServer });
}
