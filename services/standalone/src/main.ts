// Runs the selected services (default: all three) in one process, sharing one database and one
// event bus. With neither DATABASE_URL nor KAFKA_BROKERS set, that is an embedded Postgres under
// .data/ and in-process event delivery: the whole system with nothing else installed.
// `--demo` then fills it with a small story (see demo/run-demo.ts) and prints how to look at it.
import { parseArgs } from 'node:util';
import { createAuthServer } from '@wallet-guard/auth/server';
import {
  authConfigSchema,
  type CasesConfig,
  casesConfigSchema,
  loadConfig,
  monitorConfigSchema,
  type ServiceConfig,
  type ServiceName,
  standaloneConfigSchema,
} from '@wallet-guard/config';
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
  const all: Record<ServiceName, () => ServiceEntry> = {
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
  };
  return names.map((name) => all[name]());
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
}

const { values: flags } = parseArgs({ options: { demo: { type: 'boolean', default: false } } });
pointSiblingsAtEachOther(process.env);
const { services } = loadConfig(standaloneConfigSchema);
if (flags.demo) refuseDemoUnlessPossible(services);
const entries = selectedServices(services);
const infra = await openInfrastructure((entries[0] as ServiceEntry).config, { name: 'standalone' });
const servers: FastifyInstance[] = [];
for (const entry of entries) servers.push(await entry.create(infra));
await infra.bus.start();
const urls = new Map<string, string>();
for (const [index, entry] of entries.entries()) {
  const url = await listen(
    { name: entry.name, server: servers[index] as FastifyInstance, config: entry.config },
    infra.logger,
  );
  urls.set(entry.name, url);
}
if (urls.has('support-cases')) infra.logger.info(`agent console: ${urls.get('support-cases')}/console/`);
closeOnSignal(servers, infra.close, infra.logger);

if (flags.demo) {
  const started = Date.now();
  const cases = entries.find((e) => e.name === 'support-cases')?.config as CasesConfig;
  try {
    const result = await runDemo(
      {
        authUrl: urls.get('auth') as string,
        monitorUrl: urls.get('transaction-monitor') as string,
        casesUrl: urls.get('support-cases') as string,
        agentToken: (agent, role) => signDevAgentToken({ agent, role, ...cases.agentTokens }),
      },
      (line) => infra.logger.info(`demo: ${line}`),
    );
    process.stdout.write(demoReport(result, (Date.now() - started) / 1000));
  } catch (error) {
    infra.logger.error({ err: error }, 'demo failed; stopping');
    await Promise.all(servers.map((s) => s.close()));
    await infra.close();
    process.exit(1);
  }
}

/** The demo creates customers and needs all three services and the development agent key. */
function refuseDemoUnlessPossible(names: readonly ServiceName[]): void {
  const problems = [
    ...(process.env.NODE_ENV === 'production' ? ['it creates made-up customers: never in production'] : []),
    ...(names.length === 3 ? [] : ['it needs all three services (unset SERVICES)']),
    ...(loadConfig(casesConfigSchema).agentTokens.usingDevKey
      ? []
      : ['it signs agent tokens with the development key: unset CASES_AGENT_JWKS']),
  ];
  if (problems.length === 0) return;
  for (const problem of problems) process.stderr.write(`--demo refused: ${problem}\n`);
  process.exit(1);
}
