import { loadConfig, type PortalConfig, portalConfigSchema } from '@wallet-guard/config';
import { serverOptions } from '@wallet-guard/http';
import type { Logger } from '@wallet-guard/observability';
import { closeOnSignal, isEntryPoint } from '@wallet-guard/runtime';
import Fastify, { type FastifyInstance } from 'fastify';
import { type PortalAppOptions, portalApp } from './app';

/** Hooks tests pass in; see `PortalAppOptions`. */
export type PortalServerExtras = Pick<PortalAppOptions, 'clock'>;

/**
 * `request.ip` (the per-IP limit, the IP auth sees) comes from X-Forwarded-For only through these
 * proxies. A hop count as a function: fastify's types omit the number proxy-addr accepts.
 */
function trustedProxies(
  trust: PortalConfig['trustProxy'],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (trust === false) return false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return [...trust];
}

/** The portal's HTTP server, built and ready but not listening (tests call `inject`). */
export async function createPortalServer(
  config: PortalConfig,
  logStream?: NodeJS.WritableStream,
  extras: PortalServerExtras = {},
): Promise<FastifyInstance> {
  const server = Fastify({
    ...serverOptions({
      service: 'account-portal',
      errorPrefix: 'PORTAL',
      logLevel: config.logLevel,
      logFile: config.logFile,
      logStream,
      http: config.http,
    }),
    // Forms are small; nothing a customer types is longer than a password (1 KiB).
    bodyLimit: 16 * 1024,
    trustProxy: trustedProxies(config.trustProxy),
  });
  await server.register(portalApp, { config, ...extras });
  await server.ready();
  return server;
}

if (isEntryPoint(import.meta.url)) {
  // The portal has no database or broker, so it skips `runService`'s infrastructure: config (or
  // exit 1 naming the bad variables), listen, graceful stop on SIGTERM.
  const config = loadConfig(portalConfigSchema);
  const server = await createPortalServer(config);
  const url = await server.listen({ host: config.host, port: config.port });
  server.log.info({ url }, `account-portal listening on ${url}`);
  closeOnSignal([server], async () => {}, server.log as Logger);
}
