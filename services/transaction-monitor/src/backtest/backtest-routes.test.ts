// POST /v1/backtests and GET /v1/rule-performance on the real Postgres, fed through
// POST /v1/transactions and the pipeline (embedded bus): bounds, stable codes, figures.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  type BacktestReport,
  MAX_RULES_DOCUMENT_BYTES,
  type RulePerformanceReport,
  type WalletTransaction,
} from '@wallet-guard/contracts';
import { waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { DEFAULT_RULES_FILE } from '../scoring/rules-store';
import { at, MINUTE, walletTx } from '../testing/fixtures';
import { INTERNAL_KEY, type RunningMonitor, startMonitor, WALLET_KEY } from '../testing/harness';

let monitor: RunningMonitor;
const account = randomUUID();
const HOUR = 60 * MINUTE;
const start = Date.now() - 20 * HOUR;
const liveRules = readFileSync(DEFAULT_RULES_FILE, 'utf8');

// Eight ordinary 20.00 EUR payments to one shop two hours apart, then 4,000.00 EUR to a new bank account.
const txs: WalletTransaction[] = [
  ...Array.from({ length: 8 }, (_, i) =>
    walletTx({
      accountId: account,
      transactionId: `tx-bt-${i}`,
      amountMinor: '2000',
      counterparty: { id: 'corner-shop', kind: 'merchant', country: 'DE' },
      occurredAt: at(start + i * 2 * HOUR),
    }),
  ),
  walletTx({
    accountId: account,
    transactionId: 'tx-bt-big',
    type: 'transfer_out',
    amountMinor: '400000',
    counterparty: { id: 'DE89370400440532013000', kind: 'bank_account', country: 'DE' },
    occurredAt: at(start + 17 * HOUR),
  }),
];
const period = { from: at(start - MINUTE), to: at(start + 18 * HOUR) };

const post = (payload: unknown, headers: Record<string, string> = INTERNAL_KEY) =>
  monitor.server.inject({ method: 'POST', url: '/v1/backtests', headers, payload: payload as object });
const errorOf = (res: { statusCode: number; json: () => { error: { code: string } } }) => [
  res.statusCode,
  res.json().error.code,
];

beforeAll(async () => {
  monitor = await startMonitor({ env: { MONITOR_BACKTEST_MAX_DAYS: '2', MONITOR_BACKTEST_MAX_TRANSACTIONS: '9' } });
  const res = await monitor.server.inject({
    method: 'POST',
    url: '/v1/transactions',
    headers: WALLET_KEY,
    payload: { transactions: txs },
  });
  expect(res.json()).toMatchObject({ accepted: txs.length });
  const db = monitor.db.db;
  await waitFor(
    async () => (await db.selectFrom('monitor_transactions').select('transaction_id').execute()).length === txs.length,
    { what: 'the transactions applied' },
  );
});

afterAll(() => monitor?.close());

describe('POST /v1/backtests', () => {
  it('replays the period with the live rules: nothing changes', async () => {
    const res = await post({ rules: liveRules, ...period });
    expect(res.statusCode, res.body).toBe(200);
    const report: BacktestReport = res.json();
    expect(report).toMatchObject({ transactions: txs.length, accounts: 1, warmUpTransactions: 0 });
    expect(report.overall.changed).toBe(0);
    expect(report.overall.liveDecisions.allow).toBeLessThan(txs.length);
  });

  it('reports the decision a candidate changes', async () => {
    const doc = parseYaml(liveRules);
    doc.version = 'candidate-quiet';
    for (const rule of Object.values(doc.rules) as { mode: string }[]) rule.mode = 'off';
    const res = await post({ rules: stringifyYaml(doc), ...period });
    expect(res.statusCode, res.body).toBe(200);
    const report: BacktestReport = res.json();
    expect(report.rulesVersion).toBe('candidate-quiet');
    expect(report.overall.decisions).toEqual({ allow: txs.length, review: 0, suspected_theft: 0 });
    expect(report.changes.map((c) => c.transactionId)).toEqual(['tx-bt-big']);
    expect(report.changes[0]).toMatchObject({ decision: 'allow', score: 0 });
  });

  it('refuses an invalid rules document, naming each problem', async () => {
    const doc = parseYaml(liveRules);
    doc.rules.velocity.weight = 500;
    const res = await post({ rules: stringifyYaml(doc), ...period });
    expect(errorOf(res)).toEqual([400, 'TXM_BACKTEST_INVALID_RULES']);
    expect(JSON.stringify(res.json().error.details)).toContain('rules.velocity.weight');
    expect(errorOf(await post({ rules: 'version: [unclosed', ...period }))).toEqual([
      400,
      'TXM_BACKTEST_INVALID_RULES',
    ]);
  });

  it('keeps within its bounds: period, size of the period, size of the document', async () => {
    expect(errorOf(await post({ rules: liveRules, from: period.to, to: period.from }))).toEqual([
      400,
      'TXM_BACKTEST_INVALID_PERIOD',
    ]);
    expect(errorOf(await post({ rules: liveRules, from: at(start - 3 * 86_400_000), to: period.to }))).toEqual([
      400,
      'TXM_BACKTEST_PERIOD_TOO_LONG',
    ]);
    expect(errorOf(await post({ rules: liveRules, from: 'yesterday', to: period.to }))).toEqual([
      400,
      'TXM_VALIDATION_FAILED',
    ]);
    // One more transaction in the period than MONITOR_BACKTEST_MAX_TRANSACTIONS (9) allows.
    const extra = walletTx({ accountId: account, transactionId: 'tx-bt-extra', occurredAt: at(start + 17.5 * HOUR) });
    await monitor.server.inject({
      method: 'POST',
      url: '/v1/transactions',
      headers: WALLET_KEY,
      payload: { transactions: [extra] },
    });
    const db = monitor.db.db;
    await waitFor(
      async () =>
        (await db.selectFrom('monitor_transactions').select('transaction_id').execute()).length === txs.length + 1,
      { what: 'the extra transaction applied' },
    );
    expect(errorOf(await post({ rules: liveRules, ...period }))).toEqual([413, 'TXM_BACKTEST_TOO_MANY_TRANSACTIONS']);
    const huge = `${liveRules}\n#${'x'.repeat(MAX_RULES_DOCUMENT_BYTES)}\n`;
    expect(errorOf(await post({ rules: huge, ...period }))).toEqual([413, 'TXM_BODY_TOO_LARGE']);
  });

  it('is for internal callers only', async () => {
    expect((await post({ rules: liveRules, ...period }, WALLET_KEY)).statusCode).toBe(403);
    expect((await post({ rules: liveRules, ...period }, {})).statusCode).toBe(401);
  });
});

describe('GET /v1/rule-performance', () => {
  const get = (query: string) =>
    monitor.server.inject({ method: 'GET', url: `/v1/rule-performance?${query}`, headers: INTERNAL_KEY });

  it('counts each rule’s hits and labels per day, with precision', async () => {
    const db = monitor.db.db;
    const flag = await db
      .selectFrom('monitor_flags')
      .selectAll()
      .where('transaction_id', '=', 'tx-bt-big')
      .executeTakeFirstOrThrow();
    const labelled = await monitor.server.inject({
      method: 'POST',
      url: `/v1/flags/${flag.id}/feedback`,
      headers: INTERNAL_KEY,
      payload: { label: 'confirmed_fraud', actor: 'agent-1' },
    });
    expect(labelled.statusCode).toBe(201);
    const day = period.from.slice(0, 10);
    const nextDay = new Date(Date.parse(`${day}T00:00:00Z`) + 2 * 86_400_000).toISOString();
    const res = await get(`from=${day}T00:00:00Z&to=${nextDay}&bucket=day`);
    expect(res.statusCode, res.body).toBe(200);
    const report: RulePerformanceReport = res.json();
    expect(report.buckets).toHaveLength(2);
    const rules = (flag.reasons as { rule: string }[]).map((r) => r.rule);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      const row = report.rules.find((r) => r.rule === rule);
      expect(row?.total, rule).toEqual({ hits: 1, confirmedFraud: 1, falsePositive: 0, precision: 1 });
    }
    const quiet = report.rules.find((r) => !rules.includes(r.rule));
    expect(quiet?.total).toEqual({ hits: 0, confirmedFraud: 0, falsePositive: 0, precision: null });
    expect(errorOf(await get(`from=${nextDay}&to=${day}T00:00:00Z`))).toEqual([400, 'TXM_BACKTEST_INVALID_PERIOD']);
    expect(errorOf(await get('from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z'))).toEqual([
      400,
      'TXM_BACKTEST_PERIOD_TOO_LONG',
    ]);
  });

  it('buckets weeks from Monday (ISO 8601), UTC', async () => {
    const res = await get('from=2026-11-25T00:00:00Z&to=2026-12-08T00:00:00Z&bucket=week');
    expect(res.json().buckets).toEqual(['2026-11-23', '2026-11-30', '2026-12-07']);
  });
});
