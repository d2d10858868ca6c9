// Runs the selected services (default: all of them) in one process, sharing one database and one
// event bus (the account portal needs neither).
// With neither DATABASE_URL nor KAFKA_BROKERS set, that is an embedded Postgres under
// .data/ and in-process event delivery: the whole system with nothing else installed.
// `--demo` then fills it with a small story (see demo/run-demo.ts) and prints how to look at it.
import { parseArgs } from 'node:util';
import { createPortalServer } from '@wallet-guard/account-portal/server';
import { createAuthServer } from '@wallet-guard/auth/server';
import {
  authConfigSchema,
  type CasesConfig,
  casesConfigSchema,
  loadConfig,
  monitorConfigSchema,
  type NotifierConfig,
  notifierConfigSchema,
  portalConfigSchema,
  SERVICE_NAMES,
  type ServiceConfig,
  type ServiceName,
  standaloneConfigSchema,
} from '@wallet-guard/config';
import { createNotifierServer } from '@wallet-guard/notifier/server';
import { createLogger } from '@wallet-guard/observability';
import { closeOnSignal, type Infrastructure, listen, openInfrastructure } from '@wallet-guard/runtime';
import { signDevAgentToken } from '@wallet-guard/support-cases/dev-agent-token';
import { createCasesServer } from '@wallet-guard/support-cases/server';
import { createMonitorServer } from '@wallet-guard/transaction-monitor/server';
import type { FastifyInstance } from 'fastify';
import { demoReport } from './demo/report';
import { runDemo } from './demo/run-demo';

interface ServiceEntry {
  name: string;
  config: ServiceConfig;
  create: (infra: Infrastructure) => Promise<FastifyInstance>;
}

function selectedServices(names: readonly ServiceName[]): ServiceEntry[] {
  const all: Record<Exclude<ServiceName, 'portal'>, () => ServiceEntry> = {
    auth: () => {
      const config = loadConfig(authConfigSchema);
      return { name: 'auth', config, create: (infra) => createAuthServer(config, infra) };
    },
    monitor: () => {
      const config = loadConfig(monitorConfigSchema);
      return { name: 'transaction-monitor', config, create: (infra) => createMonitorServer(config, infra) };
    },
    cases: () => {
      const config = loadConfig(casesConfigSchema);
      return { name: 'support-cases', config, create: (infra) => createCasesServer(config, infra) };
    },
    notifier: () => {
      const config = loadConfig(notifierConfigSchema);
      return { name: 'notifier', config, create: (infra) => createNotifierServer(config, infra) };
    },
  };
  return names.flatMap((name) => (name === 'portal' ? [] : [all[name]()]));
}

/**
 * In one process the services reach each other on this host. Unless configured otherwise, each
 * calls its siblings on the ports they listen on here (AUTH_PORT=5001 moves the callers too).
 */
function pointSiblingsAtEachOther(env: NodeJS.ProcessEnv): void {
  const local = (port: string | undefined, fallback: number) => `http://127.0.0.1:${port || fallback}`;
  env.CASES_AUTH_URL ||= local(env.AUTH_PORT, 4001);
  env.MONITOR_AUTH_URL ||= local(env.AUTH_PORT, 4001);
  env.CASES_MONITOR_URL ||= local(env.MONITOR_PORT, 4002);
  env.CASES_NOTIFIER_URL ||= local(env.NOTIFIER_PORT, 4004);
  env.NOTIFIER_AUTH_URL ||= local(env.AUTH_PORT, 4001);
  env.PORTAL_AUTH_URL ||= local(env.AUTH_PORT, 4001);
  env.PORTAL_CASES_URL ||= local(env.CASES_PORT, 4003);
  env.PORTAL_MONITOR_URL ||= local(env.MONITOR_PORT, 4002);
  // The e-mails' links open the portal this process serves (a browser on this machine follows them).
  env.NOTIFIER_LINK_BASE_URL ||= `http://localhost:${env.PORTAL_PORT || 4005}`;
}

const { values: flags } = parseArgs({ options: { demo: { type: 'boolean', default: false } } });
pointSiblingsAtEachOther(process.env);
const { services } = loadConfig(standaloneConfigSchema);
if (flags.demo) refuseDemoUnlessPossible(services);
const entries = selectedServices(services);
const first = entries[0];
// The portal alone needs no database or bus; any other service opens them for all.
const infra = first ? await openInfrastructure(first.config, { name: 'standalone' }) : undefined;
const logger = infra?.logger ?? createLogger({ service: 'standalone', level: process.env.LOG_LEVEL ?? 'info' });
const servers: FastifyInstance[] = [];
for (const entry of entries) servers.push(await entry.create(infra as Infrastructure));
await infra?.bus.start();
const urls = new Map<string, string>();
for (const [index, entry] of entries.entries()) {
  const url = await listen(
    { name: entry.name, server: servers[index] as FastifyInstance, config: entry.config },
    logger,
  );
  urls.set(entry.name, url);
}
if (services.includes('portal')) {
  const portalConfig = loadConfig(portalConfigSchema);
  const portal = await createPortalServer(portalConfig);
  servers.push(portal);
  const address = await portal.listen({ host: portalConfig.host, port: portalConfig.port });
  const url = address.replace('127.0.0.1', 'localhost');
  urls.set('account-portal', url);
  logger.info({ url }, `account-portal listening on ${url} (customers' pages: sign-in and the e-mails' links)`);
}
if (urls.has('support-cases')) logger.info(`agent console: ${urls.get('support-cases')}/console/`);
const notifierConfig = entries.find((e) => e.name === 'notifier')?.config as NotifierConfig | undefined;
if (notifierConfig?.email?.kind === 'dev-mailbox') {
  logger.info(`development mailbox (e-mails go here, no SMTP configured): ${urls.get('notifier')}/dev/mailbox`);
}
closeOnSignal(servers, async () => infra?.close(), logger);

if (flags.demo) {
  const started = Date.now();
  const cases = entries.find((e) => e.name === 'support-cases')?.config as CasesConfig;
  try {
    const result = await runDemo(
      {
        authUrl: urls.get('auth') as string,
        monitorUrl: urls.get('transaction-monitor') as string,
        casesUrl: urls.get('support-cases') as string,
        notifierUrl: urls.get('notifier') as string,
        portalUrl: urls.get('account-portal') as string,
        agentToken: (agent, role) => signDevAgentToken({ agent, role, ...cases.agentTokens }),
      },
      (line) => logger.info(`demo: ${line}`),
    );
    process.stdout.write(demoReport(result, (Date.now() - started) / 1000));
  } catch (error) {
    logger.error({ err: error }, 'demo failed; stopping');
    await Promise.all(servers.map((s) => s.close()));
    await infra?.close();
    process.exit(1);
  }
}

/** The demo creates customers and needs every service and the development agent key. */
function refuseDemoUnlessPossible(names: readonly ServiceName[]): void {
  const problems = [
    ...(process.env.NODE_ENV === 'production' ? ['it creates made-up customers: never in production'] : []),
    ...(names.length === SERVICE_NAMES.length ? [] : ['it needs every service (unset SERVICES)']),
    ...(loadConfig(casesConfigSchema).agentTokens.usingDevKey
      ? []
      : ['it signs agent tokens with the development key: unset CASES_AGENT_JWKS']),
  ];
  if (problems.length === 0) return;
  for (const problem of problems) process.stderr.write(`--demo refused: ${problem}\n`);
  process.exit(1);
}
