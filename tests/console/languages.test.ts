// The agent console in English and Simplified Chinese, in real headless Chromium against auth, the
// monitor and support-cases on Postgres and Kafka: the browser's language on a first visit, the
// switcher, the choice remembered on the server (a new browser with the same agent opens in it),
// codes, dates and money in the agent's language, and axe-core on every page in both.
import { randomUUID } from 'node:crypto';
import type { AgentView, CaseDetailView, CaseView, WalletTransaction } from '@wallet-guard/contracts';
import { ensureConsoleBuilt } from '@wallet-guard/support-cases/console-build';
import { waitFor } from '@wallet-guard/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type System, startSystem } from '../e2e/system';
import { expectAccessible } from '../portal/portal-system';
import { screenshot } from './artifacts';
import { launchBrowser, type TestBrowser } from './browser';

let system: System;
const browsers: TestBrowser[] = [];

beforeAll(async () => {
  await ensureConsoleBuilt();
  system = await startSystem();
});
afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await system?.stop();
});

async function newBrowser(locale?: string): Promise<TestBrowser> {
  const browser = await launchBrowser(undefined, locale ? { locale } : {});
  browsers.push(browser);
  return browser;
}

const wallet = { 'x-api-key': 'dev-wallet-key', 'content-type': 'application/json' };

async function post(base: string, path: string, body: unknown) {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: wallet, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

async function asAgent<T>(agent: string, path: string): Promise<T> {
  const res = await fetch(`${system.cases.url}${path}`, {
    headers: { authorization: `Bearer ${await system.agentToken(agent)}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/**
 * A customer locks themselves out (a P3 lockout case), then three tiny payments and a large one
 * to a new merchant go through the monitor, which flags the large one: the case page then shows
 * money (349.00 EUR) and dates.
 */
async function lockoutWithFlag(): Promise<CaseView> {
  const email = `languages-${randomUUID()}@example.com`;
  const created = await post(system.auth.url, '/v1/accounts', {
    email,
    password: 'Quiet-lantern-orbit-2026!',
    locale: 'en',
  });
  expect(created.status).toBe(201);
  const accountId = created.body?.accountId as string;
  for (let i = 0; i < 5; i++) {
    const res = await post(system.auth.url, '/v1/sessions', {
      email,
      password: `wrong-password-${i}`,
      context: { ip: '203.0.113.50', deviceId: 'stranger-laptop', country: 'NL' },
    });
    expect(res.status).toBe(401);
  }
  const c = await waitFor(
    async () =>
      (await asAgent<{ items: CaseView[] }>('ada', `/v1/cases?accountId=${accountId}`)).items.find(
        (x) => x.type === 'account_lockout',
      ),
    { what: 'the lockout case', timeoutMs: 30_000 },
  );
  let balance = 50_000;
  const transactions: WalletTransaction[] = [100, 150, 100, 34_900].map((amount, i) => {
    balance -= amount;
    return {
      transactionId: `tx-${randomUUID()}`,
      accountId,
      type: 'payment',
      amountMinor: String(amount),
      currency: 'EUR',
      balanceAfterMinor: String(balance),
      channel: 'app',
      counterparty: { id: 'gift-cards-online', kind: 'merchant', country: 'CY' },
      context: { deviceId: 'stranger-laptop', ip: '203.0.113.50', country: 'NL' },
      occurredAt: new Date(Date.now() - (40 - i * 10) * 60_000).toISOString(),
    };
  });
  expect((await post(system.monitor.url, '/v1/transactions', { transactions })).status).toBe(202);
  await waitFor(
    async () => {
      const detail = await asAgent<CaseDetailView>('ada', `/v1/cases/${c.id}`);
      return detail.flags.available && detail.flags.data.items.some((f) => f.amountMinor === '34900');
    },
    { what: 'the flag of the large payment', timeoutMs: 30_000 },
  );
  return c;
}

async function signIn(page: Page, agent: string, tokenLabel: string): Promise<void> {
  await page.goto(`${system.cases.url}/console/`);
  await page.getByLabel(tokenLabel).fill(await system.agentToken(agent));
  await page.keyboard.press('Enter');
}

const lang = (page: Page) => page.getAttribute('html', 'lang');
const savedLocale = async (agent: string) => (await asAgent<AgentView>(agent, '/v1/agents/me')).locale;

/** "29 Nov 2026, 14:03:05" and "2026年11月29日 14:03:05": the console's instants in each language. */
const EN_INSTANT = /\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}:\d{2}/;
const ZH_INSTANT = /\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}/;

describe('the console in two languages', () => {
  let c: CaseView;
  beforeAll(async () => {
    c = await lockoutWithFlag();
  }, 90_000);

  it('opens in the browser’s language, switches to Chinese, and remembers it on the server for another browser', async () => {
    // An English browser, an agent who never chose: English.
    const first = await newBrowser('en-US');
    const page = await first.newPage();
    await signIn(page, 'mei', 'Agent token');
    const link = page.getByRole('link', { name: c.number });
    await link.waitFor();
    expect(await lang(page)).toBe('en');
    const row = page.getByRole('row').filter({ has: link });
    expect(await row.textContent()).toContain('Account locked out');
    expect(await row.textContent()).toMatch(/first response due in (\d+d \d+h|\d+h \d\dm \d\ds)/);
    await expectAccessible(page, 'en queue');
    await screenshot(page, 'console-en-queue');

    await link.click();
    await page.getByRole('heading', { name: `${c.number} · Account locked out` }).waitFor();
    const flags = page.getByRole('region', { name: 'Flagged transactions' });
    await flags.getByText('349.00 euros').waitFor();
    expect(await flags.textContent()).toMatch(EN_INSTANT);
    await expectAccessible(page, 'en case');
    await screenshot(page, 'console-en-case');
    expect(await savedLocale('mei')).toBeNull();

    // The switcher: at once in Chinese, <html lang> too, and saved for mei only.
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('heading', { name: `${c.number} · 账户锁定` }).waitFor();
    await expect.poll(() => lang(page)).toBe('zh-CN');
    expect(await page.title()).toBe('客服工作台 · wallet-guard');
    await waitFor(async () => (await savedLocale('mei')) === 'zh-CN', { what: 'the choice to be saved' });
    expect(await savedLocale('ada')).toBeNull();

    // A reload of the tab: still Chinese.
    await page.reload();
    await page.getByRole('heading', { name: `${c.number} · 账户锁定` }).waitFor();
    expect(first.errors).toEqual([]);

    // Another browser (nothing stored in it), still English, the same agent: Chinese once signed in,
    // because the server remembers; the sign-in page before that speaks the browser's language.
    const second = await newBrowser('en-US');
    const tab = await second.newPage();
    await signIn(tab, 'mei', 'Agent token');
    const zhLink = tab.getByRole('link', { name: c.number });
    await zhLink.waitFor();
    await tab.getByRole('heading', { name: '工单队列' }).waitFor();
    await expect.poll(() => lang(tab)).toBe('zh-CN');
    const zhRow = tab.getByRole('row').filter({ has: zhLink });
    expect(await zhRow.textContent()).toContain('账户锁定');
    expect(await zhRow.textContent()).toContain('P3 普通');
    expect(await zhRow.textContent()).toMatch(/首次响应剩余 (\d+天\d+小时|\d+小时\d\d分钟\d\d秒)/);
    expect(await tab.getByLabel('语言').inputValue()).toBe('zh-CN');
    await expectAccessible(tab, 'zh-CN queue');
    await screenshot(tab, 'console-zh-CN-queue');

    await zhLink.click();
    await tab.getByRole('heading', { name: `${c.number} · 账户锁定` }).waitFor();
    const zhFlags = tab.getByRole('region', { name: '被标记的交易' });
    await zhFlags.getByText('349.00欧元').waitFor();
    expect(await zhFlags.textContent()).toMatch(ZH_INSTANT);
    expect(await zhFlags.textContent()).toContain('先小额试探，后大额付款');
    expect(await tab.getByRole('region', { name: '账户' }).textContent()).toMatch(ZH_INSTANT);
    // A refusal in words, in Chinese, with the stable code.
    const actions = tab.getByRole('region', { name: '操作' });
    await actions.getByRole('form', { name: '认领' }).getByRole('button', { name: '认领' }).click();
    await actions.getByText(`✓ 已认领：${c.number} 由你处理。`).waitFor();
    await expectAccessible(tab, 'zh-CN case');
    await screenshot(tab, 'console-zh-CN-case');

    // And back to English, for this agent in every browser.
    await tab.getByLabel('语言').selectOption('en');
    await tab.getByRole('heading', { name: `${c.number} · Account locked out` }).waitFor();
    await waitFor(async () => (await savedLocale('mei')) === 'en', { what: 'English to be saved' });
    expect(second.errors).toEqual([]);
  });

  it('opens in Chinese for an agent who never chose when the browser prefers Simplified Chinese, from the sign-in page on', async () => {
    const browser = await newBrowser('zh-CN');
    const page = await browser.newPage();
    await page.goto(`${system.cases.url}/console/`);
    await page.getByRole('heading', { name: '客服工作台' }).waitFor();
    expect(await lang(page)).toBe('zh-CN');
    await expectAccessible(page, 'zh-CN sign-in');
    await signIn(page, 'lin', '客服令牌');
    await page.getByRole('heading', { name: '工单队列' }).waitFor();
    expect(await page.getByText('当前登录：lin').count()).toBe(1);
    // Nothing was saved: the browser decided, the agent did not.
    expect(await savedLocale('lin')).toBeNull();
    expect(browser.errors).toEqual([]);
  });
});
