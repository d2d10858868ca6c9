// Runs the portal in-process against an auth the test started (or an unreachable one), with its
// log captured, and a small cookie-keeping client for `inject` (forms with their CSRF token).
import { type Env, type PortalConfig, parseConfig, portalConfigSchema } from '@wallet-guard/config';
import { LogCapture, testLogLevel } from '@wallet-guard/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Clock } from '../clock';
import { createPortalServer } from '../server';

export interface TestPortal {
  server: FastifyInstance;
  config: PortalConfig;
  /** Every line the portal logged (at debug level, whatever the run's level). */
  logs: LogCapture;
  /** A fresh visitor: cookies kept between requests like a browser's. */
  visitor(headers?: Record<string, string>): TestVisitor;
  close(): Promise<void>;
}

/** An auth address nothing listens on: every call is `unavailable`. */
export const UNREACHABLE_AUTH = 'http://127.0.0.1:9';

/** A support-cases address nothing listens on: every call is `unavailable`. */
export const UNREACHABLE_CASES = 'http://127.0.0.1:9';

/** A monitor address nothing listens on: the dispute form falls back to typed ids. */
export const UNREACHABLE_MONITOR = 'http://127.0.0.1:9';

/**
 * A portal for tests: `PORTAL_AUTH_URL` from `authUrl`, `PORTAL_CASES_URL` from `casesUrl`,
 * `PORTAL_MONITOR_URL` from `monitorUrl`, other variables from `env`.
 */
export async function startTestPortal(
  options: { authUrl?: string; casesUrl?: string; monitorUrl?: string; env?: Env; clock?: Clock } = {},
): Promise<TestPortal> {
  const config = parseConfig(portalConfigSchema, {
    LOG_LEVEL: testLogLevel() === 'silent' ? 'debug' : testLogLevel(),
    PORTAL_AUTH_URL: options.authUrl ?? UNREACHABLE_AUTH,
    PORTAL_CASES_URL: options.casesUrl ?? UNREACHABLE_CASES,
    PORTAL_MONITOR_URL: options.monitorUrl ?? UNREACHABLE_MONITOR,
    ...options.env,
  });
  const logs = new LogCapture();
  const server = await createPortalServer(config, logs, { clock: options.clock });
  return {
    server,
    config,
    logs,
    visitor: (headers = {}) => new TestVisitor(server, headers),
    close: () => server.close(),
  };
}

/** The CSRF token of the first form of a page (every form of a page carries the same one). */
export const csrfOf = (html: string): string => {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('the page has no CSRF field');
  return match[1];
};

/** A browser's cookie jar over `inject`: Set-Cookie answers are kept and sent back. */
export class TestVisitor {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly server: FastifyInstance,
    private readonly headers: Record<string, string>,
  ) {}

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.keep(await this.server.inject({ method: 'GET', url, headers: this.requestHeaders() }));
  }

  /** Posts a form; `_csrf` is sent only when the fields name it. */
  async post(url: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
    return this.keep(
      await this.server.inject({
        method: 'POST',
        url,
        headers: { ...this.requestHeaders(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(fields).toString(),
      }),
    );
  }

  /** Posts JSON like the page's script does (the CSRF token, when wanted, is in `body._csrf`). */
  async postJson(url: string, body: Record<string, unknown>): Promise<LightMyRequestResponse> {
    return this.keep(
      await this.server.inject({
        method: 'POST',
        url,
        headers: { ...this.requestHeaders(), 'content-type': 'application/json' },
        payload: body,
      }),
    );
  }

  /** Opens `page`, then posts its form with the page's CSRF token. */
  async submit(page: string, action: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
    const opened = await this.get(page);
    return this.post(action, { _csrf: csrfOf(opened.body), ...fields });
  }

  private requestHeaders(): Record<string, string> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
    return { ...this.headers, ...(cookie ? { cookie } : {}) };
  }

  private keep(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const cookie of response.cookies as { name: string; value: string; maxAge?: number }[]) {
      if (cookie.value === '' || cookie.maxAge === 0) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response;
  }
}
