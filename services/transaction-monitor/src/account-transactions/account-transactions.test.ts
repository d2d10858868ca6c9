// GET /v1/accounts/:accountId/transactions on the real Postgres, fed through POST /v1/transactions
// and the pipeline (embedded bus): one account's transactions only, newest first, paged.
import { randomUUID } from 'node:crypto';
import type { AccountTransactionsPage, WalletTransaction } from '@wallet-guard/contracts';
import { waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, MINUTE, walletTx } from '../testing/fixtures';
import { INTERNAL_KEY, type RunningMonitor, startMonitor, WALLET_KEY } from '../testing/harness';

let monitor: RunningMonitor;
const customer = randomUUID();
const neighbour = randomUUID();
const start = Date.now() - 60 * MINUTE;

// 24 ordinary payments a minute apart, then two at the very same instant (ordered by id).
const customerTxs: WalletTransaction[] = Array.from({ length: 24 }, (_, i) =>
  walletTx({
    accountId: customer,
    transactionId: `tx-c-${String(i).padStart(2, '0')}`,
    amountMinor: String(1000 + i),
    counterparty: { id: 'coffee-corner', kind: 'merchant', country: 'DE' },
    occurredAt: at(start + i * MINUTE),
  }),
);
const sameInstant = at(start + 30 * MINUTE);
const tiedA = walletTx({ accountId: customer, transactionId: 'tx-tie-a', type: 'deposit', occurredAt: sameInstant });
const tiedB = walletTx({ accountId: customer, transactionId: 'tx-tie-b', type: 'deposit', occurredAt: sameInstant });
const neighbourTx = walletTx({ accountId: neighbour, transactionId: 'tx-n-1', occurredAt: at(start + 31 * MINUTE) });

const get = (url: string, headers: Record<string, string> = WALLET_KEY) =>
  monitor.server.inject({ method: 'GET', url, headers });
const listOf = async (accountId: string, query = ''): Promise<AccountTransactionsPage> => {
  const res = await get(`/v1/accounts/${accountId}/transactions${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const ids = (page: AccountTransactionsPage) => page.items.map((t) => t.transactionId);

beforeAll(async () => {
  monitor = await startMonitor();
  const res = await monitor.server.inject({
    method: 'POST',
    url: '/v1/transactions',
    headers: WALLET_KEY,
    payload: { transactions: [...customerTxs, tiedA, tiedB, neighbourTx] },
  });
  expect(res.json()).toMatchObject({ accepted: 27, rejected: 0 });
  await waitFor(
    async () =>
      (await listOf(customer, '?limit=100')).items.length === 26 && (await listOf(neighbour)).items.length === 1,
    { what: 'the transactions applied' },
  );
});

afterAll(() => monitor?.close());

describe("an account's transactions", () => {
  it('lists the newest 20 by default, each as the customer would recognise it', async () => {
    const page = await listOf(customer);
    expect(page.items).toHaveLength(20);
    expect(page.nextCursor).not.toBeNull();
    expect(ids(page).slice(0, 4)).toEqual(['tx-tie-b', 'tx-tie-a', 'tx-c-23', 'tx-c-22']);
    expect(page.items[0]).toEqual({
      transactionId: 'tx-tie-b',
      type: 'deposit',
      amountMinor: '5000',
      currency: 'EUR',
      counterparty: null,
      occurredAt: sameInstant,
    });
    expect(page.items[2]).toEqual({
      transactionId: 'tx-c-23',
      type: 'payment',
      amountMinor: '1023',
      currency: 'EUR',
      counterparty: { id: 'coffee-corner', kind: 'merchant' },
      occurredAt: customerTxs[23]?.occurredAt,
    });
  });

  it("never lists another account's transactions", async () => {
    expect(ids(await listOf(customer, '?limit=100'))).not.toContain(neighbourTx.transactionId);
    expect(ids(await listOf(neighbour))).toEqual([neighbourTx.transactionId]);
    // An account the monitor never saw: nothing known is an answer.
    expect(await listOf(randomUUID())).toEqual({ items: [], nextCursor: null });
  });

  it('pages with before = the previous nextCursor, through ties, to the last page, each transaction once', async () => {
    const seen: string[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const page: AccountTransactionsPage = await listOf(
        customer,
        `?limit=3${before ? `&before=${encodeURIComponent(before)}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...ids(page));
      before = page.nextCursor;
      pages++;
    } while (before !== null);
    expect(pages).toBe(9);
    const expected = ['tx-tie-b', 'tx-tie-a', ...customerTxs.map((t) => t.transactionId).reverse()];
    expect(seen).toEqual(expected);
    // Another account's cursor is only a position: it reads nothing but the account in the path.
    const first = await listOf(customer, '?limit=1');
    expect(await listOf(neighbour, `?before=${first.nextCursor}`)).toEqual({ items: [], nextCursor: null });
  });

  it.each([
    ['not a uuid', '/v1/accounts/not-a-uuid/transactions', 'TXM_VALIDATION_FAILED'],
    ['limit 0', `/v1/accounts/${customer}/transactions?limit=0`, 'TXM_VALIDATION_FAILED'],
    ['limit 101', `/v1/accounts/${customer}/transactions?limit=101`, 'TXM_VALIDATION_FAILED'],
    ['limit not a number', `/v1/accounts/${customer}/transactions?limit=ten`, 'TXM_VALIDATION_FAILED'],
    ['before not issued here', `/v1/accounts/${customer}/transactions?before=bm90LWEtY3Vyc29y`, 'TXM_INVALID_CURSOR'],
    ['before not base64url', `/v1/accounts/${customer}/transactions?before=%7B%7D`, 'TXM_INVALID_CURSOR'],
    [
      'before whose id holds U+0000, which Postgres text refuses',
      `/v1/accounts/${customer}/transactions?before=${Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000000Z', 'a\u0000b'])).toString('base64url')}`,
      'TXM_INVALID_CURSOR',
    ],
    [
      'before whose id holds a lone surrogate',
      `/v1/accounts/${customer}/transactions?before=${Buffer.from('["2026-01-01T00:00:00.000000Z","a\\ud800b"]').toString('base64url')}`,
      'TXM_INVALID_CURSOR',
    ],
    [
      'before with a date Postgres would refuse',
      `/v1/accounts/${customer}/transactions?before=${Buffer.from(JSON.stringify(['2026-13-40T00:00:00Z', 'x'])).toString('base64url')}`,
      'TXM_INVALID_CURSOR',
    ],
  ])('%s: 400 with a stable code', async (_what, url, code) => {
    const res = await get(url);
    expect([res.statusCode, res.json().error.code]).toEqual([400, code]);
  });

  it('answers the wallet scope only: 401 without a key, 403 with the internal key', async () => {
    const url = `/v1/accounts/${customer}/transactions`;
    expect((await get(url, {})).statusCode).toBe(401);
    const internal = await get(url, INTERNAL_KEY);
    expect([internal.statusCode, internal.json().error.code]).toEqual([403, 'TXM_FORBIDDEN']);
  });

  it('is in the OpenAPI document under accounts, with the wallet scope', async () => {
    const doc = (await get('/docs/json', {})).json();
    const operation = doc.paths['/v1/accounts/{accountId}/transactions']?.get;
    expect(operation?.tags).toEqual(['accounts']);
    expect(operation?.security).toEqual([{ apiKey: ['wallet'] }]);
    expect(operation?.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['accountId', 'before', 'limit']);
  });
});
