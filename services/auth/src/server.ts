import { type AuthConfig, authConfigSchema } from '@wallet-guard/config';
import { serverOptions } from '@wallet-guard/http';
import { type Infrastructure, isEntryPoint, runService } from '@wallet-guard/runtime';
import Fastify, { type FastifyInstance } from 'fastify';
import { type AuthAppOptions, authApp } from './app';

/** Hooks tests pass in; see `AuthAppOptions`. */
export type AuthServerExtras = Pick<AuthAppOptions, 'clock' | 'background' | 'onContext'>;

/** The auth HTTP server, built and ready but not listening (tests call `inject`). */
export async function createAuthServer(
  config: AuthConfig,
  infra: Infrastructure,
  logStream?: NodeJS.WritableStream,
  extras: AuthServerExtras = {},
): Promise<FastifyInstance> {
  const server = Fastify(
    serverOptions({
      service: 'auth',
      errorPrefix: 'AUTH',
      logLevel: config.logLevel,
      logFile: config.logFile,
      logStream,
      http: config.http,
    }),
  );
  await server.register(authApp, { config, infra, ...extras });
  await server.ready();
  return server;
}

if (isEntryPoint(import.meta.url)) {
  await runService({ name: 'auth', configSchema: authConfigSchema, createServer: createAuthServer });
}
