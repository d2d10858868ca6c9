// Every route of a service, read from the OpenAPI document it serves: the security and bad-input
// tests derive their tables from it, so a new route is covered as soon as it is documented.
import { type Access, accessOf, type SecurityRequirement } from '@wallet-guard/http';
import type { FastifyInstance } from 'fastify';

/** A JSON Schema as fastify-type-provider-zod writes it into the document (the parts we read). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  additionalProperties?: boolean | JsonSchema;
  default?: unknown;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: JsonSchema;
}

export interface DocumentedRoute {
  /** e.g. `POST /v1/cases/{id}/claim`. */
  name: string;
  method: string;
  /** The OpenAPI path, with `{param}` placeholders. */
  path: string;
  /** `undefined`: public (the document says `security: []`). */
  access: Access | undefined;
  pathParams: Parameter[];
  queryParams: Parameter[];
  /** The JSON body schema, when the route takes one. */
  body: JsonSchema | undefined;
  /** Whether a request without a body is refused (otherwise the body is optional). */
  bodyRequired: boolean;
}

interface Operation {
  security?: SecurityRequirement[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema: JsonSchema }> };
}

/** Every documented operation of the app (HEAD twins are left out: fastify answers them like GET). */
export async function documentedRoutes(app: FastifyInstance): Promise<DocumentedRoute[]> {
  const res = await app.inject({ method: 'GET', url: '/docs/json' });
  if (res.statusCode !== 200) throw new Error(`/docs/json answered ${res.statusCode}`);
  const spec = res.json() as { paths: Record<string, Record<string, Operation>> };
  const routes: DocumentedRoute[] = [];
  for (const [path, operations] of Object.entries(spec.paths)) {
    for (const [lower, op] of Object.entries(operations)) {
      const method = lower.toUpperCase();
      if (method === 'HEAD') continue;
      const parameters = op.parameters ?? [];
      const body = op.requestBody?.content?.['application/json']?.schema;
      routes.push({
        name: `${method} ${path}`,
        method,
        path,
        access: accessOf(op.security),
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query'),
        body,
        bodyRequired: op.requestBody?.required === true && body?.default === undefined,
      });
    }
  }
  return routes;
}

/**
 * Percent-encodes any text, lone surrogates included (as U+FFFD, which is what a UTF-8 encoder
 * sends; `encodeURIComponent` throws on them).
 */
export function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The route's URL with its path parameters filled in (each value percent-encoded unless `raw`). */
export function urlOf(route: DocumentedRoute, params: Record<string, string>, raw = false): string {
  return route.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for {${name}} of ${route.name}`);
    return raw ? value : percentEncode(value);
  });
}

/** Whether the route takes any input the caller controls (path, query or body). */
export const takesInput = (route: DocumentedRoute): boolean =>
  route.pathParams.length > 0 || route.queryParams.length > 0 || route.body !== undefined;
