import { randomUUID } from 'node:crypto';
import type { FlagPage, MonitorFlag, RiskProfile, ScoreResult, WalletTransaction } from '@wallet-guard/contracts';
import { waitFor } from '@wallet-guard/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, MINUTE, walletTx } from './testing/fixtures';
import { INTERNAL_KEY, type RunningMonitor, securityEvent, startMonitor, WALLET_KEY } from './testing/harness';

// The embedded bus (no broker): POST /v1/transactions goes through the outbox to the same handler.
let monitor: RunningMonitor;
const drainer = randomUUID();
const busy = randomUUID();
/** The support case an agent labels from (support-cases keys cases by uuid). */
const labelCase = randomUUID();
const now = Date.now() - 30 * MINUTE;
const drain = walletTx({
  accountId: drainer,
  type: 'withdrawal',
  amountMinor: '480000',
  balanceAfterMinor: '1000',
  counterparty: { id: 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh', kind: 'crypto_address' },
  context: { deviceId: 'phone-1', country: 'DE', lat: 52.52, lon: 13.4 },
  occurredAt: at(now),
});
// Five small withdrawals that each leave little: allow-level flags, enough to page through.
const busyFlags = Array.from({ length: 5 }, (_, i) =>
  walletTx({
    accountId: busy,
    type: 'withdrawal',
    amountMinor: '30000',
    balanceAfterMinor: '5000',
    occurredAt: at(now + i * MINUTE),
  }),
);

const inject = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: unknown) =>
  monitor.server.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

async function submit(transactions: WalletTransaction[]) {
  const res = await inject('POST', '/v1/transactions', WALLET_KEY, { transactions });
  expect(res.statusCode).toBe(202);
  return res.json();
}

const flagsOf = async (query: string): Promise<FlagPage> =>
  (await inject('GET', `/v1/flags?${query}`, INTERNAL_KEY)).json();

beforeAll(async () => {
  monitor = await startMonitor();
  await submit([drain, ...busyFlags]);
  await waitFor(
    async () =>
      (await flagsOf(`accountId=${busy}`)).items.length === 5 &&
      (await flagsOf(`accountId=${drainer}`)).items.length === 1,
    {
      what: 'flags from the embedded pipeline',
    },
  );
});

afterAll(() => monitor.close());

describe('who may call what', () => {
  const id = randomUUID();
  const routes: [string, 'GET' | 'POST', string, 'wallet' | 'internal', unknown][] = [
    ['submit transactions', 'POST', '/v1/transactions', 'wallet', { transactions: [walletTx()] }],
    ['score a proposal', 'POST', '/v1/score', 'wallet', walletTx()],
    ['list flags', 'GET', '/v1/flags', 'internal', undefined],
    ['read a flag', 'GET', `/v1/flags/${id}`, 'internal', undefined],
    ['label a flag', 'POST', `/v1/flags/${id}/feedback`, 'internal', { label: 'false_positive', actor: 'agent-7' }],
    ['read a risk profile', 'GET', `/v1/accounts/${id}/risk`, 'internal', undefined],
  ];

  it.each(routes)(
    '%s: 401 without a key, 403 with the other scope, through with its own',
    async (_n, method, url, scope, body) => {
      const none = await inject(method, url, {}, body);
      expect([none.statusCode, none.json().error.code]).toEqual([401, 'TXM_UNAUTHENTICATED']);
      const bogus = await inject(method, url, { 'x-api-key': 'not-a-key' }, body);
      expect(bogus.statusCode).toBe(401);
      const wrong = await inject(method, url, scope === 'wallet' ? INTERNAL_KEY : WALLET_KEY, body);
      expect([wrong.statusCode, wrong.json().error.code]).toEqual([403, 'TXM_FORBIDDEN']);
      const right = await inject(method, url, scope === 'wallet' ? WALLET_KEY : INTERNAL_KEY, body);
      expect([200, 201, 202, 404]).toContain(right.statusCode);
    },
  );

  it('documents every route with the scope of its API key in the OpenAPI document', async () => {
    const spec = (await inject('GET', '/docs/json', {})).json();
    for (const [, method, url, scope] of routes) {
      const path = url.replace(id, '{id}');
      expect(spec.paths[path]?.[method.toLowerCase()]?.security, path).toEqual([{ apiKey: [scope] }]);
    }
  });
});

describe('flags', () => {
  it('lists newest first with filters and a cursor that pages without repeats', async () => {
    const pages: MonitorFlag[][] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: FlagPage = await flagsOf(`accountId=${busy}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(page.items);
      cursor = page.nextCursor;
    }
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    const ids = pages.flat().map((f) => f.transactionId);
    expect(new Set(ids)).toEqual(new Set(busyFlags.map((t) => t.transactionId)));
    const created = pages.flat().map((f) => f.createdAt);
    expect([...created].sort().reverse()).toEqual(created);

    const [theft] = (await flagsOf(`decision=suspected_theft&accountId=${drainer}`)).items;
    expect(theft?.transactionId).toBe(drain.transactionId);
    expect((await flagsOf(`decision=review&accountId=${drainer}`)).items).toEqual([]);
    expect((await flagsOf(`transactionId=${busyFlags[2]?.transactionId}`)).items).toHaveLength(1);
    expect((await flagsOf(`since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).items).toEqual(
      [],
    );
  });

  it('refuses a forged cursor and bad filters with stable codes', async () => {
    for (const [query, code] of [
      ['cursor=bm90LWEtY3Vyc29y', 'TXM_INVALID_CURSOR'],
      [`cursor=${Buffer.from('["yesterday","x"]').toString('base64url')}`, 'TXM_INVALID_CURSOR'],
      ['decision=maybe', 'TXM_VALIDATION_FAILED'],
      ['accountId=42', 'TXM_VALIDATION_FAILED'],
      ['limit=1000', 'TXM_VALIDATION_FAILED'],
    ]) {
      const res = await inject('GET', `/v1/flags?${query}`, INTERNAL_KEY);
      expect([res.statusCode, res.json().error.code], query).toEqual([400, code]);
    }
  });

  it('shows one flag with reasons, and records agents labels (the latest wins)', async () => {
    const [flag] = (await flagsOf(`accountId=${drainer}`)).items as [MonitorFlag];
    expect(flag.reasons.map((r) => r.rule)).toEqual(
      expect.arrayContaining(['new_counterparty_large', 'balance_drain']),
    );
    expect(flag.label).toBeNull();

    const first = await inject('POST', `/v1/flags/${flag.id}/feedback`, INTERNAL_KEY, {
      label: 'false_positive',
      actor: 'agent-ada',
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ flagId: flag.id, label: 'false_positive', actor: 'agent-ada', caseId: null });
    await inject('POST', `/v1/flags/${flag.id}/feedback`, INTERNAL_KEY, {
      label: 'confirmed_fraud',
      actor: 'supervisor-bo',
      caseId: labelCase,
      note: 'customer confirmed they did not do this',
    });
    const detail = (await inject('GET', `/v1/flags/${flag.id}`, INTERNAL_KEY)).json();
    expect(detail.label).toBe('confirmed_fraud');
    expect(detail.feedback.map((f: { label: string }) => f.label)).toEqual(['false_positive', 'confirmed_fraud']);
    expect(detail.feedback[1].caseId).toBe(labelCase);
  });

  it('answers 404 for an unknown flag and 400 for a malformed id or label', async () => {
    const unknown = randomUUID();
    const read = await inject('GET', `/v1/flags/${unknown}`, INTERNAL_KEY);
    expect([read.statusCode, read.json().error.code]).toEqual([404, 'TXM_FLAG_NOT_FOUND']);
    const label = await inject('POST', `/v1/flags/${unknown}/feedback`, INTERNAL_KEY, {
      label: 'false_positive',
      actor: 'a',
    });
    expect([label.statusCode, label.json().error.code]).toEqual([404, 'TXM_FLAG_NOT_FOUND']);
    expect((await inject('GET', '/v1/flags/not-a-uuid', INTERNAL_KEY)).statusCode).toBe(400);
    const [flag] = (await flagsOf(`accountId=${busy}`)).items as [MonitorFlag];
    const bad = await inject('POST', `/v1/flags/${flag.id}/feedback`, INTERNAL_KEY, { label: 'meh', actor: 'a' });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'TXM_VALIDATION_FAILED']);
  });
});

describe('risk profile', () => {
  it('summarises statistics, known devices and places, security events and latest flags', async () => {
    await monitor.db.db.transaction().execute(async (trx) => {
      const { recordSecurityEvents } = await import('./security-timeline/timeline-repo');
      const { toTimelineEntry } = await import('./security-timeline/timeline-entry');
      await recordSecurityEvents(trx, [toTimelineEntry(securityEvent('password.changed', drainer, at(now - MINUTE)))]);
    });
    const res = await inject('GET', `/v1/accounts/${drainer}/risk`, INTERNAL_KEY);
    expect(res.statusCode).toBe(200);
    const risk: RiskProfile = res.json();
    expect(risk).toMatchObject({
      accountId: drainer,
      transactionCount: 1,
      knownDevices: 0,
      knownCountries: [],
      lastLocation: { lat: 52.52, lon: 13.4, at: drain.occurredAt },
    });
    expect(risk.recentSecurityEvents.map((e) => e.type)).toEqual(['password.changed']);
    expect(risk.recentFlags.map((f) => f.transactionId)).toEqual([drain.transactionId]);

    const busyRisk: RiskProfile = (await inject('GET', `/v1/accounts/${busy}/risk`, INTERNAL_KEY)).json();
    expect(busyRisk.amountStatistics).toEqual([
      { currency: 'EUR', sampleSize: 5, medianMinor: '30000', madMinor: '0' },
    ]);
    expect(busyRisk.recentFlags).toHaveLength(5);
  });

  it('answers an empty profile for an account never seen, and 400 for a malformed id', async () => {
    const stranger = randomUUID();
    const risk: RiskProfile = (await inject('GET', `/v1/accounts/${stranger}/risk`, INTERNAL_KEY)).json();
    expect(risk).toMatchObject({ accountId: stranger, transactionCount: 0, recentFlags: [], lastActivityAt: null });
    expect((await inject('GET', '/v1/accounts/nope/risk', INTERNAL_KEY)).statusCode).toBe(400);
  });
});

describe('POST /v1/score', () => {
  async function snapshot() {
    const { rows } = await sql<Record<string, string>>`
      select
        (select count(*) from monitor_transactions)::text as transactions,
        (select count(*) from monitor_flags)::text as flags,
        (select count(*) from outbox)::text as outbox,
        (select count(*) from monitor_freeze_requests)::text as freezes,
        (select md5(coalesce(string_agg(account_id::text || state::text || transaction_count::text || updated_at::text, ',' order by account_id), ''))
           from monitor_account_profiles) as profiles`.execute(monitor.db.db);
    return rows[0];
  }

  it('scores a proposal with the same rules and profile, and changes no state', async () => {
    // Earlier tests submitted transactions: let the embedded bus finish with them first.
    await waitFor(
      async () =>
        (await monitor.db.db.selectFrom('outbox').select('id').where('published_at', 'is', null).execute()).length ===
        0,
      { what: 'the pipeline idle' },
    );
    const before = await snapshot();
    const proposal = walletTx({
      accountId: drainer,
      type: 'withdrawal',
      amountMinor: '1000',
      balanceAfterMinor: '0',
      counterparty: { id: 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh', kind: 'crypto_address' },
      context: { lat: 40.4168, lon: -3.7038 },
      occurredAt: at(now + 5 * MINUTE),
    });
    const res = await inject('POST', '/v1/score', WALLET_KEY, proposal);
    expect(res.statusCode).toBe(200);
    const result: ScoreResult = res.json();
    expect(result.transactionId).toBe(proposal.transactionId);
    expect(result.reasons.map((r) => r.rule)).toEqual(
      expect.arrayContaining(['after_security_change', 'impossible_travel']),
    );
    expect(result.decision).toBe('suspected_theft');
    expect(result.rulesVersion).toBe('2026-11-30.1');
    const again: ScoreResult = (await inject('POST', '/v1/score', WALLET_KEY, proposal)).json();
    expect(again).toEqual(result);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a malformed proposal with the failing field', async () => {
    const res = await inject('POST', '/v1/score', WALLET_KEY, { ...walletTx(), currency: 'EURO' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('TXM_VALIDATION_FAILED');
    expect(JSON.stringify(res.json().error.details)).toContain('currency');
  });
});

describe('POST /v1/transactions limits', () => {
  it('refuses an empty batch, more than 500 items, and a body that is not a batch', async () => {
    for (const payload of [
      { transactions: [] },
      { transactions: Array.from({ length: 501 }, () => ({})) },
      [walletTx()],
    ]) {
      const res = await inject('POST', '/v1/transactions', WALLET_KEY, payload);
      expect([res.statusCode, res.json().error.code]).toEqual([400, 'TXM_VALIDATION_FAILED']);
    }
  });
});

describe('account ids', () => {
  it('treats an account id in upper case as the same account (one profile, not a fresh one)', async () => {
    await submit([walletTx({ accountId: busy.toUpperCase(), type: 'payment', occurredAt: at(now + 10 * MINUTE) })]);
    const risk = await waitFor(
      async () => {
        const body: RiskProfile = (await inject('GET', `/v1/accounts/${busy}/risk`, INTERNAL_KEY)).json();
        return body.transactionCount === 6 ? body : null;
      },
      { what: 'the sixth transaction on the same profile' },
    );
    expect(risk.amountStatistics[0]?.sampleSize).toBe(6);
  });
});
