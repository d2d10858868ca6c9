// Rule performance and backtests for supervisors: the support-cases proxy of the monitor's routes,
// and the console page (#/rule-performance) in real headless Chromium, in English and Chinese,
// against auth, the monitor and support-cases on Postgres and Kafka.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BacktestReport, MonitorFlag, RulePerformanceReport, WalletTransaction } from '@wallet-guard/contracts';
import { ensureConsoleBuilt } from '@wallet-guard/support-cases/console-build';
import { waitFor } from '@wallet-guard/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { type System, startSystem } from '../e2e/system';
import { expectAccessible } from '../portal/portal-system';
import { screenshot } from './artifacts';
import { launchBrowser, type TestBrowser } from './browser';

const RULES_FILE = fileURLToPath(
  new URL('../../services/transaction-monitor/rules/default-rules.yaml', import.meta.url),
);
const liveRules = readFileSync(RULES_FILE, 'utf8');
/** Every rule off: the big transfer's flag goes away, nothing else changes. */
const quietRules = (() => {
  const doc = parseYaml(liveRules);
  doc.version = 'all-off';
  for (const rule of Object.values(doc.rules) as { mode: string }[]) rule.mode = 'off';
  return stringifyYaml(doc);
})();

const HOUR = 3_600_000;
const account = randomUUID();
const start = Date.now() - 20 * HOUR;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const period = { from: new Date(start - HOUR).toISOString(), to: new Date(start + 18 * HOUR).toISOString() };

// Eight ordinary payments two hours apart, then a large transfer to a new bank account.
const txs: WalletTransaction[] = [
  ...Array.from({ length: 8 }, (_, i) => ({
    transactionId: `tx-rp-${i}-${account.slice(0, 8)}`,
    accountId: account,
    type: 'payment' as const,
    amountMinor: '2000',
    currency: 'EUR',
    counterparty: { id: 'corner-shop', kind: 'merchant' as const, country: 'DE' },
    occurredAt: new Date(start + i * 2 * HOUR).toISOString(),
  })),
  {
    transactionId: `tx-rp-big-${account.slice(0, 8)}`,
    accountId: account,
    type: 'transfer_out',
    amountMinor: '400000',
    currency: 'EUR',
    counterparty: { id: 'DE89370400440532013000', kind: 'bank_account', country: 'DE' },
    occurredAt: new Date(start + 17 * HOUR).toISOString(),
  },
];
const big = txs[8] as WalletTransaction;

let system: System;
let flag: MonitorFlag;
const browsers: TestBrowser[] = [];
const internal = { 'x-api-key': 'dev-internal-key', 'content-type': 'application/json' };

beforeAll(async () => {
  await ensureConsoleBuilt();
  system = await startSystem();
  const submitted = await fetch(`${system.monitor.url}/v1/transactions`, {
    method: 'POST',
    headers: { 'x-api-key': 'dev-wallet-key', 'content-type': 'application/json' },
    body: JSON.stringify({ transactions: txs }),
  });
  expect(submitted.status).toBe(202);
  const flags = async () =>
    (
      (await (await fetch(`${system.monitor.url}/v1/flags?accountId=${account}`, { headers: internal })).json()) as {
        items: MonitorFlag[];
      }
    ).items;
  await waitFor(async () => (await flags()).some((f) => f.transactionId === big.transactionId), {
    what: 'the large transfer flagged',
    timeoutMs: 60_000,
  });
  flag = (await flags()).find((f) => f.transactionId === big.transactionId) as MonitorFlag;
  const labelled = await fetch(`${system.monitor.url}/v1/flags/${flag.id}/feedback`, {
    method: 'POST',
    headers: internal,
    body: JSON.stringify({ label: 'confirmed_fraud', actor: 'agent:ada' }),
  });
  expect(labelled.status).toBe(201);
}, 120_000);

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await system?.stop();
});

async function asAgent(path: string, role: 'agent' | 'supervisor', body?: unknown) {
  return fetch(`${system.cases.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${await system.agentToken('sue', role)}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('the support-cases proxy', () => {
  it('answers supervisors with the monitor’s figures, and agents with 403', async () => {
    const query = new URLSearchParams({ ...period, bucket: 'day' });
    expect((await asAgent(`/v1/rule-performance?${query}`, 'agent')).status).toBe(403);
    expect((await asAgent('/v1/rule-performance/backtests', 'agent', { rules: liveRules, ...period })).status).toBe(
      403,
    );

    const res = await asAgent(`/v1/rule-performance?${query}`, 'supervisor');
    expect(res.status).toBe(200);
    const report = (await res.json()) as RulePerformanceReport;
    for (const { rule } of flag.reasons) {
      expect(report.rules.find((r) => r.rule === rule)?.total).toEqual({
        hits: 1,
        confirmedFraud: 1,
        falsePositive: 0,
        precision: 1,
      });
    }

    const same = await asAgent('/v1/rule-performance/backtests', 'supervisor', { rules: liveRules, ...period });
    expect(same.status).toBe(200);
    const replay = (await same.json()) as BacktestReport;
    expect(replay).toMatchObject({ transactions: txs.length, overall: { changed: 0, recall: 1 } });
  });

  it('passes the monitor’s refusals on under its own codes, with what to fix', async () => {
    const bad = await asAgent('/v1/rule-performance/backtests', 'supervisor', {
      rules: liveRules.replace(/version: .*/, 'version: ""'),
      ...period,
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; details: { message: string }[] } };
    expect(body.error.code).toBe('CASE_BACKTEST_INVALID_RULES');
    expect(body.error.details.map((d) => d.message).join()).toContain('version');
    const long = await asAgent('/v1/rule-performance/backtests', 'supervisor', {
      rules: liveRules,
      from: new Date(start - 90 * 24 * HOUR).toISOString(),
      to: period.to,
    });
    expect([long.status, ((await long.json()) as { error: { code: string } }).error.code]).toEqual([
      400,
      'CASE_BACKTEST_PERIOD_TOO_LONG',
    ]);
  });
});

describe('the rule performance page', () => {
  async function signIn(locale: string): Promise<{ browser: TestBrowser; page: Page }> {
    const browser = await launchBrowser(undefined, { locale });
    browsers.push(browser);
    const page = await browser.newPage();
    await page.goto(`${system.cases.url}/console/`);
    await page
      .getByLabel(locale === 'zh-CN' ? '客服令牌' : 'Agent token')
      .fill(await system.agentToken('sue', 'supervisor'));
    await page.keyboard.press('Enter');
    return { browser, page };
  }

  it('shows each rule’s hits and labels as a chart and a table, and runs a backtest', async () => {
    const { browser, page } = await signIn('en-US');
    await page.getByRole('link', { name: 'Rule performance' }).click();
    await page.getByRole('heading', { name: 'Rule performance', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'Rule performance period' });
    await form.getByLabel('From').fill(day(start - HOUR));
    await form.getByLabel('To').fill(day(start + 18 * HOUR));
    await form.getByLabel('Per').selectOption('day');
    await form.getByRole('button', { name: 'Show' }).click();

    const totals = page.getByRole('table', { name: 'Each rule over the period' });
    const firstRule = flag.reasons[0]?.rule as string;
    const words = (await totals.getByRole('rowheader').allTextContents()).length;
    expect(words).toBeGreaterThan(5);
    await page.getByLabel('Rule', { exact: true }).selectOption(firstRule);
    const chart = page.getByRole('img', { name: /: hits and labels$/ });
    await chart.waitFor();
    expect(await page.locator('canvas').count()).toBe(1);
    // The chart's text alternative: the flagged day shows one hit, confirmed fraud, 100 %.
    const alternative = page.getByRole('table', { name: (await chart.getAttribute('aria-label')) as string });
    const flaggedDay = day(Date.parse(big.occurredAt));
    expect(await alternative.getByRole('row', { name: new RegExp(`^${flaggedDay}`) }).textContent()).toBe(
      `${flaggedDay}110100 %`,
    );
    await expectAccessible(page, 'en rule performance');

    const backtest = page.getByRole('form', { name: 'Backtest' });
    await backtest.getByLabel('Rules document').fill(quietRules);
    await backtest.getByLabel('From (UTC)').fill(day(start - HOUR));
    await backtest.getByLabel('To, inclusive (UTC)').fill(day(start + 18 * HOUR));
    await backtest.getByRole('button', { name: 'Run the backtest' }).click();
    const result = page.getByRole('region', { name: 'Backtest result' });
    await result.getByRole('status').filter({ hasText: 'Rules all-off' }).waitFor();
    expect(await result.getByRole('status').textContent()).toMatch(
      /9 transactions in 1 accounts replayed; 1 decisions differ/,
    );
    const changes = result.getByRole('table', { name: 'Changed decisions' });
    expect(await changes.getByRole('row', { name: new RegExp(big.transactionId) }).textContent()).toContain(
      'confirmed fraud',
    );
    await expectAccessible(page, 'en backtest result');
    await screenshot(page, 'console-en-rule-performance', 'rule-performance');

    expect(browser.errors).toEqual([]);

    // A document that does not validate: the problem is named (the browser logs the 400 itself).
    await backtest.getByLabel('Rules document').fill('version: [');
    await backtest.getByRole('button', { name: 'Run the backtest' }).click();
    await page.getByRole('alert').filter({ hasText: 'CASE_BACKTEST_INVALID_RULES' }).waitFor();
    expect(browser.errors).toEqual([expect.stringMatching(/status of 400 .*\/v1\/rule-performance\/backtests/)]);
  }, 180_000);

  it('speaks Chinese, and is not offered to agents', async () => {
    const { browser, page } = await signIn('zh-CN');
    await page.getByRole('link', { name: '规则效果' }).click();
    await page.getByRole('heading', { name: '规则效果', level: 1 }).waitFor();
    await page.getByRole('table', { name: '期间内各规则汇总' }).waitFor();
    await page.getByRole('heading', { name: '回测规则变更' }).waitFor();
    await expectAccessible(page, 'zh-CN rule performance');
    await screenshot(page, 'console-zh-CN-rule-performance');
    expect(browser.errors).toEqual([]);

    const agentBrowser = await launchBrowser();
    browsers.push(agentBrowser);
    const agentPage = await agentBrowser.newPage();
    await agentPage.goto(`${system.cases.url}/console/`);
    await agentPage.getByLabel('Agent token').fill(await system.agentToken('ada', 'agent'));
    await agentPage.keyboard.press('Enter');
    await agentPage.getByRole('link', { name: 'Queue' }).waitFor();
    expect(await agentPage.getByRole('link', { name: 'Rule performance' }).count()).toBe(0);
  }, 180_000);
});
