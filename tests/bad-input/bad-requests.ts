// Requests built from a documented route: ones that break its schema (in the path, the query or
// the body) for certain, ones that break HTTP or JSON itself, and ones that fit the schema but
// carry hostile text.
import fc from 'fast-check';
import type { DocumentedRoute, JsonSchema, Parameter } from '../security/documented-routes';
import { percentEncode, urlOf } from '../security/documented-routes';
import { hostileString, invalidFor, matches, matchesQueryValue, validFor } from './schema-arbitraries';

export interface BadRequest {
  /** What was sent, in words (shown with a counterexample). */
  what: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

const BODY_LIMIT = 1024 * 1024;

/** Query keys that poke at parsers: prototype pollution, bracket nesting, odd names. */
const NOISE_KEYS = [
  '__proto__',
  '__proto__[polluted]',
  'constructor[prototype][polluted]',
  'a[b][c][d]',
  '',
  '%00',
  'x',
];

const queryString = (pairs: [string, string][]) =>
  pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');

const queryNoise = () =>
  fc.array(fc.tuple(fc.constantFrom(...NOISE_KEYS), fc.oneof(hostileString(), fc.constant('1'))), { maxLength: 3 });

const asText = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null'));

/** A string a path or query parameter must refuse. */
function invalidParam(param: Parameter, query: boolean): fc.Arbitrary<string> | undefined {
  const fits = (s: string) => (query ? matchesQueryValue(param.schema, s) : matches(param.schema, s));
  const candidates = fc.oneof(
    hostileString(),
    fc.string({ maxLength: 30 }),
    fc.integer({ min: 1, max: 600 }).map((n) => 'q'.repeat(n)),
    fc.constantFrom(
      '-1',
      '0',
      '1.5',
      '1e309',
      'NaN',
      'true',
      'null',
      '[]',
      '{}',
      '00000000-0000-0000-0000-00000000000g',
    ),
    invalidFor(param.schema)?.map(asText) ?? fc.constant('\u0000'),
  );
  const bad = candidates.filter((s) => !fits(s) && s !== '');
  return bad;
}

const validParam = (param: Parameter): fc.Arbitrary<string> => validFor(param.schema).map(asText);

/** Query parameters that carry a cursor the service issued (`nextCursor`), opaque to the caller. */
const CURSOR_PARAMS = new Set(['cursor']);

/** Values a keyset cursor of ours never holds, though each looks like a part of one. */
const NOT_A_CURSOR_PART = [
  'infinity',
  '-infinity',
  '2026-02-30T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '2026-11-23T10:00:00+23:59',
  '275760-09-13T00:00:00Z',
  '------------------------------------',
  '00000000-0000-0000-0000-00000000000g',
  '',
  0,
  -1,
  1e308,
  null,
  true,
  [],
  {},
];

/**
 * Cursors as a forger would make them: base64url JSON whose parts are generated from the page's
 * own response schema (each item's instants and ids, in range and out of it) mixed with parts no
 * issued cursor holds, or not base64 JSON at all. Every one must be a 200 or a 400, never a 5xx:
 * a cursor decodes only to what the database can compare.
 */
export function forgedCursor(page: JsonSchema | undefined, maxLength = 512): fc.Arbitrary<string> {
  const item = page?.properties?.items?.items?.properties ?? {};
  const fromResponse = Object.values(item)
    .flatMap((schema) => (schema.anyOf ?? [schema]).filter((s) => s.format === 'date-time' || s.format === 'uuid'))
    .flatMap((schema) => [validFor(schema), invalidFor(schema)].filter((a) => a !== undefined));
  const part = fc.oneof(
    { weight: 3, arbitrary: fromResponse.length > 0 ? fc.oneof(...fromResponse) : fc.uuid() },
    { weight: 2, arbitrary: fc.constantFrom(...NOT_A_CURSOR_PART) },
    { weight: 1, arbitrary: hostileString() },
  );
  const json = fc.oneof(
    fc.tuple(part, part),
    fc.array(part, { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('due', 'id', 'createdAt', '0', '1'), part, { maxKeys: 3 }),
    part,
  );
  return fc
    .oneof(
      { weight: 5, arbitrary: json.map((v) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url')) },
      { weight: 1, arbitrary: fc.constantFrom('!!!', 'e30', 'bnVsbA', '=', 'W10', '%00', 'a'.repeat(maxLength)) },
    )
    .filter((c) => c.length <= maxLength);
}

function pathValues(route: DocumentedRoute, broken: string | undefined): fc.Arbitrary<Record<string, string>> {
  const record: Record<string, fc.Arbitrary<string>> = {};
  for (const param of route.pathParams) {
    record[param.name] =
      param.name === broken ? (invalidParam(param, false) as fc.Arbitrary<string>) : validParam(param);
  }
  return fc.record(record);
}

function queryValues(
  route: DocumentedRoute,
  broken: string | undefined,
  dropRequired: string | undefined,
  page?: JsonSchema,
) {
  const record: Record<string, fc.Arbitrary<string | undefined>> = {};
  for (const param of route.queryParams) {
    if (param.name === dropRequired) continue;
    const valid = CURSOR_PARAMS.has(param.name)
      ? fc.oneof(validParam(param), forgedCursor(page, param.schema.maxLength))
      : validParam(param);
    if (param.name === broken) record[param.name] = invalidParam(param, true) as fc.Arbitrary<string>;
    else if (param.required) record[param.name] = valid;
    else record[param.name] = fc.option(valid, { nil: undefined });
  }
  return fc
    .tuple(fc.record(record), queryNoise())
    .map(([values, noise]) => [
      ...(Object.entries(values).filter(([, v]) => v !== undefined) as [string, string][]),
      ...noise,
    ]);
}

function assemble(
  route: DocumentedRoute,
  what: string,
  headers: Record<string, string>,
  path: Record<string, string>,
  query: [string, string][],
  body: unknown,
): BadRequest {
  const qs = queryString(query);
  return {
    what,
    method: route.method,
    url: `${urlOf(route, path)}${qs ? `?${qs}` : ''}`,
    headers: route.body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    ...(route.body === undefined ? {} : { payload: JSON.stringify(body) ?? 'null' }),
  };
}

/**
 * Requests that break the route's schema in exactly the ways the document allows us to be sure
 * of; `undefined` when the route takes nothing that could be wrong.
 */
export function schemaBreakingRequests(
  route: DocumentedRoute,
  headers: Record<string, string>,
): fc.Arbitrary<BadRequest> | undefined {
  const variants: fc.Arbitrary<BadRequest>[] = [];
  const validBody = route.body ? validFor(route.body) : fc.constant(undefined);
  for (const param of route.pathParams) {
    if (!invalidParam(param, false)) continue;
    variants.push(
      fc
        .tuple(pathValues(route, param.name), queryValues(route, undefined, undefined), validBody)
        .map(([p, q, b]) => assemble(route, `path {${param.name}} broken`, headers, p, q, b)),
    );
  }
  for (const param of route.queryParams) {
    variants.push(
      fc
        .tuple(pathValues(route, undefined), queryValues(route, param.name, undefined), validBody)
        .map(([p, q, b]) => assemble(route, `query ${param.name} broken`, headers, p, q, b)),
    );
    if (param.required && param.schema.default === undefined) {
      variants.push(
        fc
          .tuple(pathValues(route, undefined), queryValues(route, undefined, param.name), validBody)
          .map(([p, q, b]) => assemble(route, `required query ${param.name} missing`, headers, p, q, b)),
      );
    }
  }
  const brokenBody = route.body ? invalidFor(route.body) : undefined;
  if (brokenBody) {
    variants.push(
      fc
        .tuple(pathValues(route, undefined), queryValues(route, undefined, undefined), brokenBody)
        .map(([p, q, b]) => assemble(route, 'body broken', headers, p, q, b)),
    );
  }
  return variants.length > 0 ? fc.oneof(...variants) : undefined;
}

/**
 * Requests that fit the schema, with hostile text wherever the schema lets text in, instants
 * across the contract's whole range, and forged cursors built from `page` (the route's 200
 * response schema, see `pageSchemas`).
 */
export function hostileButValidRequests(
  route: DocumentedRoute,
  headers: Record<string, string>,
  page?: JsonSchema,
): fc.Arbitrary<BadRequest> {
  const body = route.body ? validFor(route.body) : fc.constant(undefined);
  return fc
    .tuple(pathValues(route, undefined), queryValues(route, undefined, undefined, page), body)
    .map(([p, q, b]) => assemble(route, 'fits the schema, hostile text', headers, p, q, b));
}

/** A valid-looking body padded past the 1 MiB limit. */
const oversized = () => JSON.stringify({ padding: 'x'.repeat(BODY_LIMIT + 16) });

/** Bytes that are not UTF-8, inside a JSON string. */
const INVALID_UTF8 = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xed, 0xa0, 0x80]);
const withInvalidUtf8 = (before: string, after: string) =>
  Buffer.concat([Buffer.from(before), INVALID_UTF8, Buffer.from(after)]);

/**
 * Requests that break HTTP or JSON before any schema is looked at: malformed and poisoned JSON,
 * deep nesting, bytes that are not UTF-8, a body past the limit, the wrong content type, path
 * parameters that cannot be decoded.
 */
export function malformedRequests(route: DocumentedRoute, headers: Record<string, string>): BadRequest[] {
  const path = Object.fromEntries(route.pathParams.map((p) => [p.name, '3f1c2a4e-8b7d-4e2f-9a61-5d0c7b8e9f10']));
  const url = urlOf(route, path);
  const requests: BadRequest[] = [];
  // `null` sends no content type at all (an explicit `undefined` would take the default).
  const send = (what: string, payload: string | Buffer, contentType: string | null = 'application/json') =>
    requests.push({
      what,
      method: route.method,
      url,
      headers: contentType === null ? { ...headers } : { ...headers, 'content-type': contentType },
      payload,
    });
  if (route.body) {
    for (const text of ['{', '{"a":', 'nul', '[1,]', "{'a':1}", '{"a":1}}', 'undefined', '\u0000', '{"a":"\\ud800"']) {
      send(`malformed JSON ${JSON.stringify(text)}`, text);
    }
    send('an empty body declared as JSON', '');
    // Refused by the JSON parser whatever the schema: prototype poisoning.
    send('__proto__ poisoning', '{"__proto__":{"polluted":true},"a":1}');
    send('constructor.prototype poisoning', '{"constructor":{"prototype":{"polluted":true}}}');
    send('nested __proto__ poisoning', '{"context":{"__proto__":{"isAdmin":true}}}');
    // Valid JSON, so sent only where the schema surely refuses it (unknown keys are ignored).
    const unlessItFits = (what: string, text: string) => {
      if (!matches(route.body as JsonSchema, JSON.parse(text))) send(what, text);
    };
    unlessItFits('100,000 nested arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    unlessItFits(
      '5,000 nested objects with a constructor key',
      `${'{"constructor":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
    );
    unlessItFits(
      'an object with 50,000 keys',
      `{${Array.from({ length: 50_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`,
    );
    send(`a body past the 1 MiB limit`, oversized());
    send('a body past the limit, declared as text', oversized(), 'text/plain');
    send('not UTF-8, in an array', withInvalidUtf8('["', '"]'));
    for (const [name, schema] of Object.entries((route.body as JsonSchema).properties ?? {})) {
      // The server decodes each bad byte to U+FFFD; only where that cannot fit is the body surely wrong.
      if (!matches(schema, '\uFFFD'.repeat(7))) send(`not UTF-8, in "${name}"`, withInvalidUtf8(`{"${name}":"`, '"}'));
    }
    for (const type of [
      'application/xml',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded',
      'application/octet-stream',
      'application/jsonx',
    ]) {
      send(`content type ${type}`, 'a=1&b=2', type);
    }
    // A body without a content type is refused (415) on every route that takes one: never ignored.
    send('no content type', '{"a":1}', null);
  }
  for (const param of route.pathParams) {
    for (const raw of ['%FF%FE', '%', '%E0%A4%A', '..%2F..%2Fadmin', 'a'.repeat(300), '%00']) {
      const rawPath = Object.fromEntries(
        route.pathParams.map((p) => [p.name, p === param ? raw : (path[p.name] ?? '')]),
      );
      requests.push({
        what: `path {${param.name}} = ${raw.slice(0, 20)}`,
        method: route.method,
        url: urlOf(route, rawPath, true),
        headers: route.body ? { ...headers, 'content-type': 'application/json' } : headers,
        ...(route.body ? { payload: '{}' } : {}),
      });
    }
  }
  return requests;
}

/** The 200 (or 201) response schema of each documented route, by `route.name`, from its OpenAPI document. */
export async function responseSchemas(app: {
  inject(o: { method: 'GET'; url: string }): Promise<{ json(): unknown }>;
}): Promise<Map<string, JsonSchema>> {
  type Op = { responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }> };
  const spec = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as {
    paths: Record<string, Record<string, Op>>;
  };
  const schemas = new Map<string, JsonSchema>();
  for (const [path, operations] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const ok = op.responses?.['200'] ?? op.responses?.['201'];
      const schema = ok?.content?.['application/json']?.schema;
      if (schema) schemas.set(`${method.toUpperCase()} ${path}`, schema);
    }
  }
  return schemas;
}
