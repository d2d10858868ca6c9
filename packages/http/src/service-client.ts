import { type ApiEndpoint, type ErrorBody, errorBody } from '@wallet-guard/contracts';
import type { z } from 'zod';

/** The `:name` segments of a path template, e.g. `'id'` for `/internal/v1/accounts/:id/freeze`. */
type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** What one call takes: path parameters, query and body as the endpoint declares them. */
export type ServiceCallInput<E extends ApiEndpoint> = ([PathParamNames<E['path']>] extends [never]
  ? unknown
  : { params: Record<PathParamNames<E['path']>, string> }) &
  (E extends { query: infer Q extends z.ZodType } ? { query?: z.input<Q> } : unknown) &
  (E extends { body: infer B extends z.ZodType } ? { body: z.input<B> } : unknown) & {
    /** Forwarded as `x-request-id`, so both services' logs tell the same story. */
    requestId?: string;
    /**
     * The end user's access token for user-scope routes, sent as `authorization: Bearer <token>`.
     * Like the API key, it appears in no answer, error or message.
     */
    bearer?: string;
  };

/** A success the endpoint declares, its body parsed by the endpoint's schema for that status. */
type ServiceOk<E extends ApiEndpoint> = {
  [S in keyof E['responses'] & number]: { outcome: 'ok'; status: S; body: z.output<E['responses'][S]> };
}[keyof E['responses'] & number];

/**
 * The service answered 4xx: it understood and said no. `code` is its stable error code (e.g.
 * `AUTH_ACCOUNT_NOT_FOUND`) when the body had the shared error shape, `undefined` otherwise.
 */
export interface ServiceRefusal {
  outcome: 'refused';
  status: number;
  code: string | undefined;
  error: ErrorBody['error'] | undefined;
}

/**
 * No usable answer: the service could not be reached, took longer than `timeoutMs`, redirected
 * (never followed), failed (5xx) or answered in a shape this client does not know. Whether the
 * call had an effect is unknown. Callers answer 503 (`<PREFIX>_UPSTREAM_UNAVAILABLE`) or retry.
 */
export interface ServiceUnavailable {
  outcome: 'unavailable';
  service: string;
  reason: 'timeout' | 'unreachable' | 'redirect' | 'server_error' | 'unexpected_answer';
  /** The HTTP status, when there was one. */
  status?: number;
  /** For logs and error messages: names the service, never the API key or the URL. */
  message: string;
}

export type ServiceAnswer<E extends ApiEndpoint> = ServiceOk<E> | ServiceRefusal | ServiceUnavailable;

/** One typed method per endpoint of the table. */
export type ServiceClient<T extends Record<string, ApiEndpoint>> = {
  readonly [K in keyof T]: (input: ServiceCallInput<T[K]>) => Promise<ServiceAnswer<T[K]>>;
} & { readonly service: string };

export interface ServiceClientOptions<T extends Record<string, ApiEndpoint>> {
  /** The target's name as it appears in errors and logs: `auth`, `transaction-monitor`. */
  service: string;
  /** Origin (and optional path prefix) of the target, without a trailing slash. */
  baseUrl: string;
  /** The target's internal API key, sent as `x-api-key`. */
  apiKey: string;
  /** Whole call, answer body included. Default 5 s. */
  timeoutMs?: number;
  /** The endpoint table from `@wallet-guard/contracts`, e.g. `authInternalApi`. */
  endpoints: T;
}

/**
 * A typed client for one of our services, built from its endpoint table in the contracts.
 *
 * Guarantees: never throws for anything the network or the target does (every outcome is a
 * `ServiceAnswer`); path parameters are URI-encoded, so a parameter cannot change the path;
 * redirects are never followed (they would hand the API key and the action to wherever
 * `Location` points); the API key and the bearer token appear in no answer, error or message
 * (a token that is no valid header value fails the call as `unreachable` before anything is sent); a success body is
 * returned only after the endpoint's schema for that status accepted it.
 */
export function createServiceClient<const T extends Record<string, ApiEndpoint>>(
  options: ServiceClientOptions<T>,
): ServiceClient<T> {
  const methods: Record<string, unknown> = { service: options.service };
  for (const [name, endpoint] of Object.entries(options.endpoints)) {
    methods[name] = (input: CallInput) => call(options, endpoint, input);
  }
  return methods as ServiceClient<T>;
}

interface CallInput {
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
  requestId?: string;
  bearer?: string;
}

async function call(
  options: ServiceClientOptions<Record<string, ApiEndpoint>>,
  endpoint: ApiEndpoint,
  input: CallInput,
): Promise<ServiceAnswer<ApiEndpoint>> {
  const { service } = options;
  const unavailable = (reason: ServiceUnavailable['reason'], message: string, status?: number): ServiceUnavailable => ({
    outcome: 'unavailable',
    service,
    reason,
    message,
    ...(status ? { status } : {}),
  });

  const url = `${options.baseUrl}${fillPath(endpoint.path, input.params ?? {})}${queryString(input.query)}`;
  let status: number;
  let text: string;
  try {
    const response = await fetch(url, {
      method: endpoint.method,
      headers: {
        accept: 'application/json',
        'x-api-key': options.apiKey,
        ...(input.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(input.requestId ? { 'x-request-id': input.requestId } : {}),
        ...(input.bearer ? { authorization: `Bearer ${input.bearer}` } : {}),
      },
      body: input.body === undefined ? undefined : JSON.stringify(input.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      redirect: 'error',
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    const reason = failureReason(error);
    return unavailable(reason, `${service} did not answer (${reason})`);
  }

  if (status >= 500) return unavailable('server_error', `${service} failed (${status})`, status);
  const json = parseJson(text);
  if (status >= 400) {
    const parsed = errorBody.safeParse(json);
    const error = parsed.success ? parsed.data.error : undefined;
    return { outcome: 'refused', status, code: error?.code, error };
  }
  const schema = endpoint.responses[status];
  if (!schema)
    return unavailable('unexpected_answer', `${service} answered ${status}, which this client does not expect`, status);
  const body = schema.safeParse(json);
  if (!body.success)
    return unavailable('unexpected_answer', `${service} answered ${status} in an unexpected shape`, status);
  return { outcome: 'ok', status, body: body.data } as ServiceAnswer<ApiEndpoint>;
}

function fillPath(template: string, params: Record<string, string>): string {
  return template.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) search.append(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** An empty body is `undefined` (a 204), unparseable text `null`: neither passes a JSON schema by accident. */
function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function failureReason(error: unknown): 'timeout' | 'unreachable' | 'redirect' {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  const cause = error instanceof Error ? (error.cause as { message?: unknown } | undefined) : undefined;
  if (typeof cause?.message === 'string' && cause.message.includes('redirect')) return 'redirect';
  return 'unreachable';
}
