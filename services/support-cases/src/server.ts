import { type CasesConfig, casesConfigSchema } from '@wallet-guard/config';
import { serverOptions } from '@wallet-guard/http';
import { type Infrastructure, isEntryPoint, runService } from '@wallet-guard/runtime';
import Fastify, { type FastifyInstance } from 'fastify';
import { type CasesAppOptions, casesApp } from './app';

/** Hooks tests pass in; see `CasesAppOptions`. */
export type CasesServerExtras = Pick<CasesAppOptions, 'clock'>;

/** The support-cases HTTP server, built and ready but not listening (tests call `inject`). */
export async function createCasesServer(
  config: CasesConfig,
  infra: Infrastructure,
  logStream?: NodeJS.WritableStream,
  extras: CasesServerExtras = {},
): Promise<FastifyInstance> {
  const server = Fastify(
    serverOptions({
      service: 'support-cases',
      errorPrefix: 'CASE',
      logLevel: config.logLevel,
      logFile: config.logFile,
      logStream,
      http: config.http,
    }),
  );
  await server.register(casesApp, { config, infra, ...extras });
  await server.ready();
  return server;
}

if (isEntryPoint(import.meta.url)) {
  await runService({ name: 'support-cases', configSchema: casesConfigSchema, createServer: createCasesServer });
}
