// Issue 7's docs: events documented per topic (JSON Schema files that must match the contracts)
// and OpenAPI request examples that the routes themselves accept.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { casesConfigSchema, parseConfig } from '@wallet-guard/config';
import { ALL_TOPICS, eventJsonSchemas } from '@wallet-guard/contracts';
import { signDevAgentToken } from '@wallet-guard/support-cases/dev-agent-token';
import { createCasesServer } from '@wallet-guard/support-cases/server';
import { createTestDatabase, type TestDatabase, testEnv, testInfrastructure } from '@wallet-guard/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const schemasDir = fileURLToPath(new URL('../../packages/contracts/schemas', import.meta.url));

describe('events documented per topic (packages/contracts/schemas)', () => {
  it('holds one JSON Schema per topic, exactly what the contracts generate (run pnpm docs:events after a change)', () => {
    const generated = eventJsonSchemas();
    const files = readdirSync(schemasDir).filter((f) => f.endsWith('.schema.json'));
    expect(files.sort()).toEqual(ALL_TOPICS.map((t) => `${t}.schema.json`).sort());
    for (const topic of ALL_TOPICS) {
      const committed = JSON.parse(readFileSync(join(schemasDir, `${topic}.schema.json`), 'utf8'));
      expect([topic, committed]).toEqual([topic, generated[topic]]);
    }
  });

  it('lists every topic and every event type of it in the index', () => {
    const index = readFileSync(join(schemasDir, 'README.md'), 'utf8');
    for (const [topic, schema] of Object.entries(eventJsonSchemas())) {
      const row = index.split('\n').find((line) => line.startsWith(`| \`${topic}\``));
      expect(row, topic).toBeDefined();
      const types = [...JSON.stringify(schema).matchAll(/"type":\{"type":"string","const":"([^"]+)"/g)].map(
        (m) => m[1],
      );
      expect(types.length, topic).toBeGreaterThan(0);
      for (const type of types) expect(row, `${topic} ${type}`).toContain(`\`${type}\``);
    }
  });
});

describe('OpenAPI examples of support-cases', () => {
  let db: TestDatabase;
  let server: FastifyInstance;
  let token: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = parseConfig(casesConfigSchema, testEnv(db));
    server = await createCasesServer(config, await testInfrastructure(config, db));
    token = await signDevAgentToken({ agent: 'sam', role: 'supervisor', ...config.agentTokens });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('gives request examples that the routes accept as valid input', async () => {
    type Operation = { requestBody?: { content: Record<string, { example?: unknown }> } };
    const spec = (await server.inject({ url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, Operation>>;
    };
    // @fastify/swagger turns a body schema's `examples` into the media type's `example`.
    const examples = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.entries(ops).flatMap(([method, op]) => {
        const example = op.requestBody?.content['application/json']?.example;
        return example === undefined ? [] : [{ path, method, example }];
      }),
    );
    expect(examples.map((e) => e.path).sort()).toEqual(
      expect.arrayContaining([
        '/v1/cases/{id}/actions/unlock-account',
        '/v1/cases/{id}/resolve',
        '/v1/cases/{id}/notes',
        '/v1/customer-cases',
      ]),
    );
    for (const { path, method, example } of examples) {
      const res = await server.inject({
        method: method.toUpperCase() as 'POST',
        // Every path parameter is an id (`{id}`, `{macroId}`): a fresh uuid finds nothing, so 404 at most.
        url: path.replace(/\{[A-Za-z]+\}/g, () => randomUUID()),
        headers: { authorization: `Bearer ${token}`, 'x-api-key': 'dev-wallet-key' },
        payload: example as Record<string, unknown>,
      });
      // An unknown case is fine (404); a refused example is not.
      expect([path, res.statusCode, res.json().error?.code]).not.toEqual([
        path,
        400,
        expect.stringMatching(/VALIDATION/),
      ]);
      expect([path, res.statusCode < 500]).toEqual([path, true]);
    }
  });
});
