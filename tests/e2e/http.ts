// HTTP as the wallet backend and the agents speak it to the running services, for end-to-end tests.

/** The wallet backend's headers (development key, scope `wallet`). */
const WALLET_HEADERS = { 'x-api-key': 'dev-wallet-key', 'content-type': 'application/json' };

/** The password every end-to-end customer registers with (the policy accepts it). */
export const CUSTOMER_PASSWORD = 'Quiet-lantern-orbit-2026!';

/** One JSON call; the answer's status and parsed body (null when empty). */
export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = WALLET_HEADERS,
  // biome-ignore lint/suspicious/noExplicitAny: each test reads the fields of the answer it expects
): Promise<{ status: number; body: any }> {
  const sent =
    body === undefined ? Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'content-type')) : headers;
  const res = await fetch(`${base}${path}`, {
    method,
    headers: sent,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
