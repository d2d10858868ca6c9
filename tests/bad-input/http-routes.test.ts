// Bad input on every route of every service, enumerated from the OpenAPI documents, with valid
// credentials so the input reaches validation. A request that breaks the schema, HTTP or JSON
// always gets a 4xx with a stable code and changes no stored row; a request that fits the schema
// but carries hostile text never gets a 5xx.
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { agentToken, FAST_ARGON2, keyFor, signedInUser } from '../security/callers';
import { type DocumentedRoute, documentedRoutes, type JsonSchema, takesInput } from '../security/documented-routes';
import { startServices } from '../security/services';
import {
  type BadRequest,
  forgedCursor,
  hostileButValidRequests,
  malformedRequests,
  responseSchemas,
  schemaBreakingRequests,
} from './bad-requests';
import { type Checksum, changedTables, databaseChecksum, settledChecksums } from './row-checksum';

/** Runs per route: moderate, so the whole file stays within a couple of minutes. */
const BREAKING_RUNS = 30;
const HOSTILE_RUNS = 12;
const STABLE_CODE = /^(AUTH|TXM|CASE)_[A-Z_]+$/;

const system = await startServices(FAST_ARGON2);
afterAll(() => system.stop());

const services = {
  auth: { app: system.auth.server, db: system.auth.db.db as Kysely<unknown>, prefix: 'AUTH' },
  monitor: { app: system.monitor.server, db: system.monitor.db.db as Kysely<unknown>, prefix: 'TXM' },
  cases: { app: system.cases.server, db: system.cases.db.db as Kysely<unknown>, prefix: 'CASE' },
};
type ServiceKey = keyof typeof services;
const routes = Object.fromEntries(
  await Promise.all(Object.entries(services).map(async ([key, s]) => [key, await documentedRoutes(s.app)] as const)),
) as Record<ServiceKey, DocumentedRoute[]>;

/** Each route's answer schema: forged cursors are built from the pages they page through. */
const answers = Object.fromEntries(
  await Promise.all(Object.entries(services).map(async ([key, s]) => [key, await responseSchemas(s.app)] as const)),
) as Record<ServiceKey, Map<string, JsonSchema>>;

const sharedUser = await signedInUser(system.auth.server);
const supervisor = await agentToken('fuzz-supervisor', 'supervisor');

/** The right credentials for the route, so bad input meets validation rather than the door. */
async function credentials(route: DocumentedRoute, freshUser = false): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  if (route.access?.apiKey) headers['x-api-key'] = keyFor(route.access.apiKey);
  if (route.access?.bearer === true) {
    const user = freshUser ? await signedInUser(system.auth.server) : sharedUser;
    headers.authorization = `Bearer ${user.accessToken}`;
  } else if (route.access?.bearer) headers.authorization = `Bearer ${supervisor}`;
  return headers;
}

const tried = { breaking: 0, malformed: 0, hostile: 0 };

async function send(app: FastifyInstance, request: BadRequest) {
  return app.inject({
    method: request.method as 'GET',
    url: request.url,
    // A copy: inject() adds a content type to the object it is given, and the generated requests
    // share their base headers (a "no content type" request would otherwise go out as JSON).
    headers: { ...request.headers },
    ...(request.payload === undefined ? {} : { payload: request.payload }),
  });
}

/** What is wrong with the answer to a request that must be refused ('' when nothing). */
function refusalProblem(res: Awaited<ReturnType<typeof send>>, prefix: string): string {
  const code = String(res.headers['content-type'] ?? '').includes('json') ? res.json()?.error?.code : undefined;
  if (res.statusCode < 400 || res.statusCode >= 500) return `answered ${res.statusCode} ${res.body.slice(0, 200)}`;
  if ([401, 403].includes(res.statusCode)) return `never reached validation: ${res.statusCode} ${code}`;
  if (typeof code !== 'string' || !STABLE_CODE.test(code) || !code.startsWith(`${prefix}_`)) {
    return `answered ${res.statusCode} without a stable ${prefix}_ code: ${res.body.slice(0, 200)}`;
  }
  return '';
}

describe('input that breaks the schema, HTTP or JSON: 4xx with a stable code, no changed row', () => {
  let baseline: Checksum[];
  it('starts from settled databases', async () => {
    baseline = await settledChecksums(Object.values(services).map((s) => s.db));
  });

  for (const [key, service] of Object.entries(services) as [ServiceKey, (typeof services)[ServiceKey]][]) {
    for (const route of routes[key].filter(takesInput)) {
      it(`${key} ${route.name}`, async () => {
        const before = await databaseChecksum(service.db);
        const headers = await credentials(route);
        const failures: string[] = [];
        for (const request of malformedRequests(route, headers)) {
          tried.malformed += 1;
          const problem = refusalProblem(await send(service.app, request), service.prefix);
          if (problem) failures.push(`${request.what}: ${problem}`);
        }
        expect(failures).toEqual([]);
        const breaking = schemaBreakingRequests(route, headers);
        if (breaking) {
          await fc.assert(
            fc.asyncProperty(breaking, async (request) => {
              tried.breaking += 1;
              const problem = refusalProblem(await send(service.app, request), service.prefix);
              if (problem) throw new Error(`${request.what}: ${problem}`);
            }),
            { numRuns: BREAKING_RUNS },
          );
        }
        expect(changedTables(before, await databaseChecksum(service.db))).toEqual([]);
      });
    }
  }

  it('left every database as it was', async () => {
    const after = await Promise.all(Object.values(services).map((s) => databaseChecksum(s.db)));
    expect(after.map((c, i) => changedTables(baseline[i] as Checksum, c))).toEqual([[], [], []]);
  });
});

describe('input that fits the schema but carries hostile text: never a 5xx', () => {
  for (const [key, service] of Object.entries(services) as [ServiceKey, (typeof services)[ServiceKey]][]) {
    for (const route of routes[key].filter(takesInput)) {
      it(`${key} ${route.name}`, async () => {
        // A user of its own: a request that fits may freeze the account or end the session.
        const headers = await credentials(route, true);
        await fc.assert(
          fc.asyncProperty(hostileButValidRequests(route, headers, answers[key].get(route.name)), async (request) => {
            tried.hostile += 1;
            const res = await send(service.app, request);
            const code = res.statusCode >= 400 ? res.json()?.error?.code : undefined;
            if (res.statusCode >= 500 || (res.statusCode >= 400 && !STABLE_CODE.test(code ?? ''))) {
              throw new Error(`${request.what}: answered ${res.statusCode} ${res.body.slice(0, 300)}`);
            }
          }),
          { numRuns: HOSTILE_RUNS },
        );
      });
    }
  }

  it('tried every route that takes input, and reports how many bad inputs', () => {
    const covered = Object.values(routes).flat().filter(takesInput).length;
    expect(covered).toBeGreaterThan(40);
    console.log(
      `bad input: ${tried.breaking + tried.malformed} refused requests (${tried.malformed} malformed, ` +
        `${tried.breaking} schema-breaking) and ${tried.hostile} hostile-but-valid ones over ${covered} routes`,
    );
  });
});

describe('forged cursors, built from the pages they claim to continue: 200 or 400, never a 5xx', () => {
  const CURSOR_RUNS = 60;
  for (const [key, service] of Object.entries(services) as [ServiceKey, (typeof services)[ServiceKey]][]) {
    for (const route of routes[key].filter((r) => r.queryParams.some((p) => p.name === 'cursor'))) {
      it(`${key} ${route.name}`, async () => {
        const headers = await credentials(route);
        const param = route.queryParams.find((p) => p.name === 'cursor') as (typeof route.queryParams)[number];
        const answers400: Record<string, number> = {};
        await fc.assert(
          fc.asyncProperty(forgedCursor(answers[key].get(route.name), param.schema.maxLength), async (cursor) => {
            const url = `${route.path}?cursor=${encodeURIComponent(cursor)}`;
            const res = await service.app.inject({ method: 'GET', url, headers });
            const code = res.statusCode >= 400 ? res.json()?.error?.code : undefined;
            if (res.statusCode >= 500 || (res.statusCode >= 400 && !STABLE_CODE.test(code ?? ''))) {
              throw new Error(`cursor ${cursor}: answered ${res.statusCode} ${res.body.slice(0, 300)}`);
            }
            if (code) answers400[code] = (answers400[code] ?? 0) + 1;
          }),
          { numRuns: CURSOR_RUNS },
        );
        // Most forgeries are well-formed base64 JSON: they reach the decoder, which names the cursor.
        expect(Object.keys(answers400).some((c) => c.endsWith('_INVALID_CURSOR'))).toBe(true);
      });
    }
  }
});

describe('routes that take no input', () => {
  it('ignore junk in the query string (never a 5xx)', async () => {
    for (const [key, service] of Object.entries(services) as [ServiceKey, (typeof services)[ServiceKey]][]) {
      for (const route of routes[key].filter((r) => !takesInput(r) && r.method === 'GET')) {
        const headers = await credentials(route);
        for (const query of [
          '__proto__[x]=1',
          'constructor[prototype][y]=2',
          `a=${'%FF'.repeat(50)}`,
          'x'.repeat(4000),
        ]) {
          const res = await service.app.inject({ method: 'GET', url: `${route.path}?${query}`, headers });
          expect([route.name, query.slice(0, 30), res.statusCode < 500]).toEqual([
            route.name,
            query.slice(0, 30),
            true,
          ]);
        }
      }
    }
  });
});
