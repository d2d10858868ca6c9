// auth's internal API, the monitor's flags and the notifier's deliveries, played by one small HTTP
// server for tests.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeliveryView, FlagDetail, FlagFeedback, InternalAccountView, MonitorFlag } from '@wallet-guard/contracts';

export interface UpstreamCall {
  method: string;
  path: string;
  body: unknown;
  /** The `x-api-key` the caller presented. */
  apiKey: string | undefined;
}
/** `body` undefined: no body (a 204). */
type UpstreamAnswer = { status: number; body?: unknown };
type UpstreamRoute = (call: UpstreamCall) => UpstreamAnswer | Promise<UpstreamAnswer>;

/** An account as auth's internal API shows it: active, locked out from everywhere. */
export function fakeAccount(accountId: string, overrides: Partial<InternalAccountView> = {}): InternalAccountView {
  const at = new Date().toISOString();
  return {
    accountId,
    email: `${accountId.slice(0, 8)}@example.com`,
    locale: 'en',
    status: 'active',
    frozen: null,
    locked: true,
    locks: [{ subject: 'any', locked: true, hard: false, lockedUntil: at, failures: 5 }],
    twoFactorEnabled: false,
    activeSessions: 0,
    createdAt: at,
    lastLoginAt: null,
    passwordChangedAt: at,
    ...overrides,
  };
}

/** A flag as the monitor shows it, of `accountId`. */
export function fakeFlag(id: string, accountId: string, transactionId = `tx-${id.slice(0, 8)}`): MonitorFlag {
  const at = new Date().toISOString();
  return {
    id,
    transactionId,
    accountId,
    transactionType: 'transfer_out',
    amountMinor: '34900',
    currency: 'EUR',
    score: 85,
    decision: 'suspected_theft',
    shadowScore: 85,
    shadowDecision: 'suspected_theft',
    reasons: [{ rule: 'after_security_change', points: 40, detail: 'Outgoing 10 minutes after 2FA was disabled' }],
    securityEventIds: [],
    rulesVersion: 'test',
    listsVersion: 0,
    counterparty: { kind: 'bank_account', id: 'DE89370400440532013000' },
    occurredAt: at,
    createdAt: at,
    label: null,
  };
}

/** A message the notifier sent to `accountId`: an unlock link by e-mail, accepted by the mail server. */
export function fakeDelivery(accountId: string, overrides: Partial<DeliveryView> = {}): DeliveryView {
  const at = new Date().toISOString();
  return {
    id: randomUUID(),
    eventId: randomUUID(),
    accountId,
    caseId: null,
    kind: 'unlock_link',
    channel: 'email',
    locale: 'en',
    recipient: 'a***e@example.com',
    status: 'sent',
    attempts: 1,
    createdAt: at,
    lastAttemptAt: at,
    sentAt: at,
    nextAttemptAt: null,
    serverResponse: '250 2.0.0 Ok: queued as 4F2A1',
    lastError: null,
    ...overrides,
  };
}

/**
 * auth's internal API, the monitor's flag routes and the notifier's deliveries, played by one
 * small HTTP server: point CASES_AUTH_URL, CASES_MONITOR_URL and CASES_NOTIFIER_URL at `url`.
 * Every call is kept in `calls`; `on` replaces the answer of a route, and its handler may first do
 * something else (another agent claiming the case while auth "unlocks") to put a race exactly
 * where a test wants it, then give the usual answer with `answer(call)`.
 */
export interface FakeUpstream {
  url: string;
  calls: UpstreamCall[];
  /** Flags the monitor knows: id -> account. */
  flags: Map<string, string>;
  /** Transactions the monitor flagged: transaction id -> account. */
  flaggedTransactions: Map<string, string>;
  /** What the notifier sent: account id -> its deliveries, newest first (none: an empty page). */
  deliveries: Map<string, DeliveryView[]>;
  on(method: 'GET' | 'POST', path: RegExp, route: UpstreamRoute): void;
  /** The answer `call` gets without overrides: the account is active, the action is done. */
  answer(call: UpstreamCall): Promise<UpstreamAnswer>;
  /** Back to the default answers (everything succeeds); `calls` is emptied. */
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeUpstream(): Promise<FakeUpstream> {
  const calls: UpstreamCall[] = [];
  const flags = new Map<string, string>();
  const flaggedTransactions = new Map<string, string>();
  const deliveries = new Map<string, DeliveryView[]>();
  let overrides: { method: string; path: RegExp; route: UpstreamRoute }[] = [];
  const defaults: { method: string; path: RegExp; route: UpstreamRoute }[] = [
    {
      method: 'GET',
      path: /^\/internal\/v1\/accounts\/([^/]+)$/,
      route: (call) => ({ status: 200, body: fakeAccount(call.path.split('/')[4] ?? '') }),
    },
    {
      method: 'POST',
      path: /^\/internal\/v1\/accounts\/[^/]+\/(unlock|freeze|unfreeze)$/,
      route: () => ({ status: 204 }),
    },
    {
      method: 'GET',
      path: /^\/v1\/flags\/[^/?]+$/,
      route: (call) => {
        const id = call.path.split('/')[3] ?? '';
        const accountId = flags.get(id);
        const flag: FlagDetail | undefined = accountId ? { ...fakeFlag(id, accountId), feedback: [] } : undefined;
        return flag
          ? { status: 200, body: flag }
          : { status: 404, body: { error: { code: 'TXM_FLAG_NOT_FOUND', message: 'No flag' } } };
      },
    },
    {
      method: 'POST',
      path: /^\/v1\/flags\/[^/]+\/feedback$/,
      route: (call) => {
        const body = call.body as { label: FlagFeedback['label']; actor: string; caseId?: string };
        const feedback: FlagFeedback = {
          id: randomUUID(),
          flagId: call.path.split('/')[3] ?? '',
          label: body.label,
          actor: body.actor,
          caseId: body.caseId ?? null,
          note: null,
          createdAt: new Date().toISOString(),
        };
        return { status: 201, body: feedback };
      },
    },
    {
      method: 'GET',
      path: /^\/v1\/flags\?/,
      route: (call) => {
        const transactionId = new URL(call.path, 'http://x').searchParams.get('transactionId') ?? '';
        const accountId = flaggedTransactions.get(transactionId);
        return {
          status: 200,
          body: { items: accountId ? [fakeFlag(randomUUID(), accountId, transactionId)] : [], nextCursor: null },
        };
      },
    },
    {
      method: 'GET',
      path: /^\/v1\/deliveries\?/,
      route: (call) => {
        const query = new URL(call.path, 'http://x').searchParams;
        const limit = Number(query.get('limit') ?? 50);
        const items = (deliveries.get(query.get('accountId') ?? '') ?? []).slice(0, limit);
        return { status: 200, body: { items, nextCursor: null } };
      },
    },
  ];
  const route = (routes: typeof defaults, call: UpstreamCall) =>
    routes.find((r) => r.method === call.method && r.path.test(call.path));
  const answer = async (call: UpstreamCall): Promise<UpstreamAnswer> => {
    const match = route(defaults, call);
    return match ? match.route(call) : { status: 404, body: { error: { code: 'NOT_FOUND', message: 'No route' } } };
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const apiKey = req.headers['x-api-key'];
      const call = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        body: text ? JSON.parse(text) : undefined,
        apiKey: typeof apiKey === 'string' ? apiKey : undefined,
      };
      calls.push(call);
      const override = route(overrides, call);
      const given = override ? await override.route(call) : await answer(call);
      if (given.body === undefined) {
        res.writeHead(given.status).end();
        return;
      }
      res.writeHead(given.status, { 'content-type': 'application/json' }).end(JSON.stringify(given.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    flags,
    flaggedTransactions,
    deliveries,
    on: (method, path, route) => {
      overrides.unshift({ method, path, route });
    },
    answer,
    reset: () => {
      overrides = [];
      calls.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
