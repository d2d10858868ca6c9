import { type ConfigSchemaFactory, loadConfig, type ServiceConfig } from '@wallet-guard/config';
import type { Logger } from '@wallet-guard/observability';
import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { type Infrastructure, openInfrastructure } from './infrastructure';

export interface RunningService {
  name: string;
  server: FastifyInstance;
  config: ServiceConfig;
}

/** Listens, then prints where the service and its docs are. */
export async function listen(service: RunningService, logger: Logger): Promise<string> {
  const address = await service.server.listen({ host: service.config.host, port: service.config.port });
  const url = address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  logger.info({ url, docs: `${url}/docs` }, `${service.name} listening on ${url} (docs: ${url}/docs)`);
  if (service.config.apiKeys.usingDevKeys) {
    logger.warn(
      `${service.name}: NO API KEYS CONFIGURED - the development keys "dev-wallet-key" and "dev-internal-key" are accepted. Never run like this in production.`,
    );
  }
  return url;
}

/**
 * On SIGINT/SIGTERM (or an uncaught error): stop taking requests and let in-flight ones finish,
 * stop consumers and relays (committing what they applied), close the database, exit. Gives up
 * after `graceMs` so an orchestrator never has to SIGKILL.
 */
export function closeOnSignal(
  servers: FastifyInstance[],
  shutdown: () => Promise<void>,
  logger: Logger,
  graceMs = 9_000,
) {
  // SIGHUP conventionally means "reload": an app that listens for it (the monitor reloads its
  // rules) keeps it; elsewhere it stops the process gracefully like SIGTERM.
  const skip: 'SIGHUP'[] = process.listenerCount('SIGHUP') > 0 ? ['SIGHUP'] : [];
  closeWithGrace({ delay: graceMs, skip }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'fatal error; shutting down');
    else logger.info({ signal }, 'shutting down');
    await Promise.all(servers.map((s) => s.close()));
    await shutdown();
    logger.info('stopped');
  });
}

/** True when `moduleUrl` is the script node was started with (so `server.ts` can be imported too). */
export function isEntryPoint(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  const path = new URL(moduleUrl).pathname;
  return path === entry || path.replace(/\.ts$/, '') === entry.replace(/\.ts$/, '');
}

export interface RunServiceOptions<C extends ServiceConfig> {
  name: string;
  configSchema: ConfigSchemaFactory<C>;
  createServer: (config: C, infra: Infrastructure) => Promise<FastifyInstance>;
}

/**
 * The whole life of a one-service process: config (or exit 1 naming the bad variables),
 * database and migrations, event bus, listen, graceful stop on SIGTERM.
 */
export async function runService<C extends ServiceConfig>(options: RunServiceOptions<C>): Promise<void> {
  const config = loadConfig(options.configSchema);
  const infra = await openInfrastructure(config, { name: options.name });
  const server = await options.createServer(config, infra);
  await infra.bus.start();
  await listen({ name: options.name, server, config }, infra.logger);
  closeOnSignal([server], infra.close, infra.logger);
}
