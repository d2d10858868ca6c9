import { AppError } from '@wallet-guard/http';

export interface UpstreamResponse {
  status: number;
  body: unknown;
}

/**
 * A JSON client for one of our own services (auth, transaction-monitor), authenticated with its
 * internal API key. Network failures, timeouts and redirects (never followed) become 503
 * CASE_UPSTREAM_UNAVAILABLE naming the service; the key never appears in an error.
 */
export class UpstreamClient {
  constructor(
    readonly service: string,
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly timeoutMs = 5_000,
  ) {}

  async request(method: 'GET' | 'POST', path: string, body?: unknown, requestId?: string): Promise<UpstreamResponse> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          'x-api-key': this.apiKey,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(requestId ? { 'x-request-id': requestId } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
        // Our services never redirect their APIs: following one would hand the API key (and an
        // account action) to wherever the Location header points.
        redirect: 'error',
      });
    } catch (error) {
      throw new AppError(503, 'CASE_UPSTREAM_UNAVAILABLE', `${this.service} did not answer`, {
        service: this.service,
        reason: error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'unreachable',
      });
    }
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (response.status >= 500) {
      throw new AppError(503, 'CASE_UPSTREAM_UNAVAILABLE', `${this.service} failed (${response.status})`, {
        service: this.service,
        status: response.status,
      });
    }
    return { status: response.status, body: parsed };
  }
}

/** The upstream's own error code, when it answered with our error shape. */
export function upstreamErrorCode(body: unknown): string | undefined {
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === 'string' ? code : undefined;
}
