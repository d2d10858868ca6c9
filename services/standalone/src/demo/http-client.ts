/** A JSON answer; the body is whatever the service sent (null when empty). */
export interface Answer {
  status: number;
  body: unknown;
}

/** The demo stops at the first unexpected answer, naming the step and the error code. */
export class DemoError extends Error {
  override name = 'DemoError';
}

/** One HTTP call to a service of this process; never logs the body (it carries passwords). */
export async function send(
  base: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...options.headers,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** The body of an answer with the expected status, or a DemoError saying which step failed. */
export function expectStatus<T = unknown>(answer: Answer, status: number, step: string): T {
  if (answer.status !== status) {
    const code = (answer.body as { error?: { code?: string } } | null)?.error?.code ?? 'no error code';
    throw new DemoError(`${step}: expected ${status}, got ${answer.status} (${code})`);
  }
  return answer.body as T;
}

/** Polls `probe` until it returns a value (not undefined), or throws after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new DemoError(`gave up waiting for ${what} after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
