// HTTP calls that record how each one ended, for tests that count answers under a fault.
import { randomBytes } from 'node:crypto';
import { noteSecretsIn } from '@wallet-guard/testing';

export const WALLET = { 'x-api-key': 'dev-wallet-key' };
export const INTERNAL = { 'x-api-key': 'dev-internal-key' };

export interface Answer {
  /** 0 when no HTTP answer came (connection refused or reset, timeout). */
  status: number;
  body: unknown;
  /** Why there was no answer. */
  error?: string;
  /** The Retry-After header, when the answer had one. */
  retryAfter?: string;
  ms: number;
  /** performance.now() when the call started and ended. */
  sentAt: number;
  answeredAt: number;
}

/** One request; never throws: a refused connection or a timeout comes back as status 0. */
export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = WALLET,
  timeoutMs = 20_000,
): Promise<Answer> {
  const sentAt = performance.now();
  noteSecretsIn(body); // for the run's log scan
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    noteSecretsIn(parsed);
    const answeredAt = performance.now();
    const retryAfter = res.headers.get('retry-after');
    return {
      status: res.status,
      body: parsed,
      ms: answeredAt - sentAt,
      sentAt,
      answeredAt,
      ...(retryAfter === null ? {} : { retryAfter }),
    };
  } catch (error) {
    const answeredAt = performance.now();
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return {
      status: 0,
      body: null,
      error: cause ?? (error as Error).name,
      ms: answeredAt - sentAt,
      sentAt,
      answeredAt,
    };
  }
}

/** A password auth's policy accepts (random, so zxcvbn scores it high). */
export const strongPassword = (): string => `Quill-${randomBytes(9).toString('base64url')}-harbour`;
export const uniqueEmail = (name = 'user'): string => `${name}.${randomBytes(5).toString('hex')}@example.com`;

/** Cheap argon2: the faults are not about hashing cost. */
export const FAST_ARGON2 = { AUTH_ARGON2_MEMORY_KIB: '4096', AUTH_ARGON2_TIME_COST: '1' };

export interface Account {
  accountId: string;
  email: string;
  password: string;
}

export async function register(authUrl: string): Promise<Account> {
  const email = uniqueEmail();
  const password = strongPassword();
  const res = await call(authUrl, 'POST', '/v1/accounts', { email, password, locale: 'en' });
  if (res.status !== 201) throw new Error(`registration answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { accountId: (res.body as { accountId: string }).accountId, email, password };
}

export const signIn = (authUrl: string, email: string, password: string) =>
  call(authUrl, 'POST', '/v1/sessions', { email, password });

/** Counts answers by status ("0:ECONNREFUSED" for no answer). */
export function tally(answers: readonly Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of answers) {
    const key = a.status === 0 ? `0:${a.error}` : String(a.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
