import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  authConfigSchema,
  casesConfigSchema,
  monitorConfigSchema,
  notifierConfigSchema,
  parseConfig,
} from '@wallet-guard/config';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../..', import.meta.url));
const compose = parse(readFileSync(`${root}/infra/docker-compose.yml`, 'utf8'), { merge: true }) as {
  services: Record<string, { command?: string[]; environment?: Record<string, string | number>; ports?: string[] }>;
};

describe('infra/docker-compose.yml stays consistent with the code', () => {
  it.each([
    ['auth', authConfigSchema, 'services/auth/dist/server.js'],
    ['transaction-monitor', monitorConfigSchema, 'services/transaction-monitor/dist/server.js'],
    ['support-cases', casesConfigSchema, 'services/support-cases/dist/server.js'],
    ['notifier', notifierConfigSchema, 'services/notifier/dist/server.js'],
  ])(
    '%s: its entry point exists and its environment is a valid config on the published port',
    (name, schema, entry) => {
      const service = compose.services[name];
      expect(service?.command).toContain(entry);
      // The compiled entry (pnpm build) of a TypeScript entry that exists.
      expect(existsSync(`${root}/${entry.replace('/dist/', '/src/').replace(/\.js$/, '.ts')}`)).toBe(true);
      const env = Object.fromEntries(Object.entries(service?.environment ?? {}).map(([k, v]) => [k, String(v)]));
      const config = parseConfig(schema as typeof authConfigSchema, env);
      expect(config.database.url).toMatch(/^postgres:\/\/.+@postgres:5432\//);
      expect(config.kafka?.brokers).toEqual(['kafka:9092']);
      expect(service?.ports).toEqual([`${config.port}:${config.port}`]);
    },
  );

  it('runs Postgres 17 and Kafka 4 in KRaft mode', () => {
    expect(compose.services.postgres).toMatchObject({ image: 'postgres:17' });
    expect(compose.services.kafka).toMatchObject({ image: expect.stringMatching(/^apache\/kafka:4\./) });
    expect(compose.services.kafka?.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
  });
});
