// fast-check arbitraries driven by the JSON Schemas of the OpenAPI documents: inputs that break a
// schema for certain (checked with `matches`, a validator mirroring zod's reading of them), and
// inputs that fit a schema but carry hostile text.
import fc from 'fast-check';
import type { JsonSchema } from '../security/documented-routes';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function regexOf(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return undefined;
    }
  }
}

const typesOf = (schema: JsonSchema): string[] =>
  schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * Whether `value` satisfies `schema` as zod reads it (string lengths in UTF-16 units, like
 * `.length`). Unknown keys are allowed: zod objects strip them. Conservative where it must guess:
 * a value this calls invalid is invalid.
 */
export function matches(schema: JsonSchema, value: unknown): boolean {
  if (schema.anyOf && !schema.anyOf.some((s) => matches(s, value))) return false;
  if (schema.oneOf && !schema.oneOf.some((s) => matches(s, value))) return false;
  if (schema.allOf && !schema.allOf.every((s) => matches(s, value))) return false;
  if ('const' in schema && schema.const !== undefined && value !== schema.const) return false;
  if (schema.enum && !schema.enum.includes(value as never)) return false;
  const types = typesOf(schema);
  const type = jsonType(value);
  if (types.length > 0 && !types.includes(type) && !(type === 'integer' && types.includes('number'))) return false;
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) return false;
    if (schema.maxLength !== undefined && value.length > schema.maxLength) return false;
    if (schema.pattern !== undefined) {
      const regex = regexOf(schema.pattern);
      if (regex && !regex.test(value)) return false;
    }
    if (schema.format === 'uuid' && !UUID.test(value)) return false;
    if (schema.format === 'date-time' && !instantFits(schema, value)) return false;
    if (schema.format === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) return false;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return false;
    if (schema.minimum !== undefined && value < schema.minimum) return false;
    if (schema.maximum !== undefined && value > schema.maximum) return false;
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return false;
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) return false;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return false;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return false;
    if (schema.items && !value.every((v) => matches(schema.items as JsonSchema, v))) return false;
  }
  if (type === 'object') {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? []) {
      if (!Object.hasOwn(object, name) || object[name] === undefined) return false;
    }
    for (const [name, child] of Object.entries(schema.properties ?? {})) {
      if (Object.hasOwn(object, name) && object[name] !== undefined && !matches(child, object[name])) return false;
    }
  }
  return true;
}

/** The bounds a contract puts on an instant (`formatMinimum`/`formatMaximum`, as `isoDateTime` writes them). */
type Bounded = JsonSchema & { formatMinimum?: string; formatMaximum?: string };

/** A date-time that parses and lies within the schema's bounds (offsets past ±15:59 never fit). */
function instantFits(schema: Bounded, value: string): boolean {
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || /[+-](1[6-9]|2\d):\d\d$/.test(value)) return false;
  if (schema.formatMinimum !== undefined && ms < Date.parse(schema.formatMinimum)) return false;
  if (schema.formatMaximum !== undefined && ms > Date.parse(schema.formatMaximum)) return false;
  return true;
}

/**
 * ISO 8601 instants across the schema's whole range, its very edges included, in any offset a
 * real zone uses and with up to nanoseconds: what a contract accepts must be storable everywhere.
 */
export function instantWithin(schema: Bounded): fc.Arbitrary<string> {
  const min = Date.parse(schema.formatMinimum ?? '1970-01-01T00:00:00.000Z');
  const max = Date.parse(schema.formatMaximum ?? '9999-12-31T23:59:59.999Z');
  const offsetMinutes = fc.oneof(fc.constant(0), fc.integer({ min: -12 * 60, max: 14 * 60 }));
  const spelled = fc
    .tuple(fc.integer({ min, max }), offsetMinutes, fc.constantFrom('', '.5', '.123', '.123456', '.123456789'))
    .map(([ms, offset, fraction]) => spell(ms, offset, fraction));
  return fc
    .oneof(
      { weight: 3, arbitrary: spelled },
      { weight: 1, arbitrary: fc.constantFrom(new Date(min).toISOString(), new Date(max).toISOString()) },
    )
    .filter((v) => instantFits(schema, v));
}

/** Instants a bounded schema refuses: a Go zero time, year 0000, just outside either edge, offsets past 15:59. */
export function instantOutside(schema: Bounded): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.constantFrom(
        '0001-01-01T00:00:00Z',
        '0000-01-01T00:00:00Z',
        '1969-12-31T23:59:59.999Z',
        '1970-01-01T00:30:00+01:00',
        '9999-12-31T23:59:59-14:00',
        '2026-11-23T10:00:00+23:59',
      ),
      fc
        .tuple(fc.integer({ min: 0, max: 1969 }), fc.integer({ min: 1, max: 12 }))
        .map(([y, m]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01T00:00:00Z`),
    )
    .filter((v) => !instantFits(schema, v));
}

/** `ms` written in the given UTC offset (minutes), with `fraction` as the seconds' decimals. */
function spell(ms: number, offset: number, fraction: string): string {
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const zone =
    offset === 0 ? 'Z' : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  // The local time must itself be a four-digit year for the text to be ISO 8601 at all.
  return /^\d{4}-/.test(local) ? `${local}${fraction}${zone}` : new Date(ms).toISOString();
}

/** A query-string value (always text) against its schema: numbers are coerced like `z.coerce.number()`. */
export function matchesQueryValue(schema: JsonSchema, value: string): boolean {
  const types = typesOf(schema);
  if (types.includes('integer') || types.includes('number')) {
    const number = Number(value);
    return matches(schema, number) || (types.includes('string') && matches(schema, value));
  }
  return matches(schema, value);
}

/** Text meant to hurt: NUL and control characters, lone surrogates, injection classics, odd Unicode. */
const HOSTILE_SNIPPETS = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF\uD800',
  '\u202Egnp.exe',
  '\uFEFF',
  'e\u0301\u0301\u0301',
  '🦊🦊',
  "' OR 1=1 --",
  "'; DROP TABLE accounts; --",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the attack
  '${jndi:ldap://x}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  '%00%ff',
  '\r\n\r\nX-Injected: 1',
  '__proto__',
  'constructor',
  ' ',
  '\t\n',
  'NaN',
  '-1',
  '1e309',
  '99999999999999999999999999999999999999',
];

/** Strings of every sort, the hostile ones often. */
export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_SNIPPETS) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.tuple(fc.string(), fc.constantFrom(...HOSTILE_SNIPPETS)).map(([a, b]) => `${a}${b}`) },
  );

/** A huge string (up to a few hundred KB; the body limit is 1 MiB). */
const hugeString = (): fc.Arbitrary<string> =>
  fc
    .tuple(fc.integer({ min: 10_000, max: 300_000 }), fc.constantFrom('x', '9', 'é', '🦊', '\u0000'))
    .map(([n, c]) => c.repeat(n));

/** Nested arrays or objects, deeper than any schema of ours goes. */
const deeplyNested = (): fc.Arbitrary<unknown> =>
  fc.tuple(fc.integer({ min: 50, max: 2_000 }), fc.boolean()).map(([depth, arrays]) => {
    let value: unknown = 'bottom';
    for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
    return value;
  });

/** Any JSON value, hostile strings and odd numbers included. */
const anyJson = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        null,
        true,
        false,
        0,
        -0,
        -1,
        1.5,
        1e308,
        -1e308,
        Number.MAX_SAFE_INTEGER + 2,
        '',
        [],
        {},
      ),
    },
    { weight: 2, arbitrary: hostileString() },
    { weight: 1, arbitrary: hugeString() },
    { weight: 1, arbitrary: deeplyNested() },
    {
      weight: 1,
      arbitrary: fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'), fc.jsonValue(), {
        minKeys: 1,
        maxKeys: 3,
      }),
    },
  );

/** Values that fit `schema`; unconstrained strings are hostile ones, cut to the schema's lengths. */
export function validFor(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches?.length)
    return fc.oneof(...branches.map((b) => validFor({ ...schema, anyOf: undefined, oneOf: undefined, ...b }, depth)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const types = typesOf(schema);
  const type = types.find((t) => t !== 'null') ?? types[0];
  switch (type) {
    case 'string':
      return validString(schema);
    case 'integer':
      return fc.integer({ min: Math.ceil(schema.minimum ?? -1e6), max: Math.floor(schema.maximum ?? 1e6) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const min = schema.minItems ?? 0;
      const max = Math.max(min, Math.min(schema.maxItems ?? 3, 3));
      return fc.array(schema.items ? validFor(schema.items, depth + 1) : fc.jsonValue({ maxDepth: 2 }), {
        minLength: min,
        maxLength: max,
      });
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, child] of Object.entries(properties)) record[name] = validFor(child, depth + 1);
      return fc.record(record, { requiredKeys: [...required].filter((k) => k in record) });
    }
    default:
      return depth > 2 ? fc.jsonValue({ maxDepth: 1 }) : anyJson();
  }
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 2_000;
  const fits = (s: string) => matches(schema, s);
  if (schema.format === 'date-time') return instantWithin(schema).filter(fits);
  const regex = schema.pattern ? regexOf(schema.pattern) : undefined;
  if (regex) return fc.stringMatching(regex).filter(fits);
  if (schema.format === 'uuid') return fc.uuid({ version: 4 });
  if (schema.format === 'email') return fc.emailAddress().filter(fits);
  return hostileString().map((s) => {
    let text = s.length > max ? s.slice(0, max) : s;
    while (text.length < min) text += text.length % 2 ? '\u0000' : 'x';
    return text;
  });
}

/**
 * Values that break `schema` for certain (`undefined` when nothing can, e.g. `{}`): wrong types,
 * lengths and ranges past the limits, text off the pattern, a property broken or a required one
 * missing, the hostile and huge values of `anyJson` where they do not fit.
 */
export function invalidFor(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> | undefined {
  const unconstrained =
    typesOf(schema).length === 0 && !schema.anyOf && !schema.oneOf && !schema.enum && schema.const === undefined;
  if (unconstrained) return undefined;
  const breaks = (v: unknown) => !matches(schema, v);
  const pool: fc.Arbitrary<unknown>[] = [anyJson().filter(breaks)];
  const types = typesOf(schema);
  if (types.includes('string')) {
    if (schema.maxLength !== undefined) {
      const max = schema.maxLength;
      pool.push(fc.integer({ min: max + 1, max: max + 100 }).map((n) => 'z'.repeat(n)));
    }
    if (schema.minLength) pool.push(fc.string({ maxLength: schema.minLength - 1 }).filter(breaks));
    if (schema.pattern || schema.format || schema.enum) pool.push(hostileString().filter(breaks));
    if (schema.format === 'date-time') pool.push(instantOutside(schema));
  }
  if (types.includes('integer') || types.includes('number')) {
    if (schema.maximum !== undefined)
      pool.push(fc.integer({ min: 1, max: 1e9 }).map((n) => (schema.maximum as number) + n));
    if (schema.minimum !== undefined)
      pool.push(fc.integer({ min: 1, max: 1e9 }).map((n) => (schema.minimum as number) - n));
    if (types.includes('integer') && !types.includes('number')) pool.push(fc.constantFrom(0.5, 1.25, -7.75));
  }
  if (types.includes('array')) {
    if (schema.maxItems !== undefined && schema.maxItems < 2_000) {
      pool.push(fc.constant(Array.from({ length: (schema.maxItems as number) + 1 }, () => ({}))).filter(breaks));
    }
    if (schema.minItems) pool.push(fc.constant([]));
    const item = schema.items ? invalidFor(schema.items, depth + 1) : undefined;
    if (item) pool.push(fc.array(item, { minLength: 1, maxLength: 3 }));
  }
  if (types.includes('object') && depth < 4) {
    const valid = validFor(schema, depth) as fc.Arbitrary<Record<string, unknown>>;
    for (const [name, child] of Object.entries(schema.properties ?? {})) {
      const broken = invalidFor(child, depth + 1);
      if (broken) pool.push(fc.tuple(valid, broken).map(([base, bad]) => ({ ...base, [name]: bad })));
    }
    for (const name of schema.required ?? []) {
      pool.push(
        valid.map((base) => {
          const { [name]: _gone, ...rest } = base;
          return rest;
        }),
      );
    }
  }
  return fc.oneof(...pool).filter(breaks);
}
