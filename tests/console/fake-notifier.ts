// The notifier's delivery status, played by a small HTTP server for the console tests: the
// console's panel reads what support-cases fetched from it, so the deliveries shown are exactly
// the ones a test put here.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeliveryView } from '@wallet-guard/contracts';

export interface FakeNotifier {
  /** Point CASES_NOTIFIER_URL here. */
  url: string;
  /** Account id -> its deliveries, newest first; an account without any gets an empty page. */
  deliveries: Map<string, DeliveryView[]>;
  /** Accounts whose deliveries the notifier fails to read (500). */
  failing: Set<string>;
  close(): Promise<void>;
}

/** Answers `GET /v1/deliveries?accountId=&limit=` as the notifier does (its `deliveriesPage`). */
export async function startFakeNotifier(): Promise<FakeNotifier> {
  const deliveries = new Map<string, DeliveryView[]>();
  const failing = new Set<string>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method !== 'GET' || url.pathname !== '/v1/deliveries') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'No route' } }));
      return;
    }
    const accountId = url.searchParams.get('accountId') ?? '';
    if (failing.has(accountId)) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'NOTIFIER_INTERNAL', message: 'Internal error' } }));
      return;
    }
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const items = (deliveries.get(accountId) ?? []).slice(0, limit);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items, nextCursor: null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deliveries,
    failing,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
