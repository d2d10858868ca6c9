// Merging a duplicate and the supervisors' report in the agent console, in real headless Chromium
// against auth, the monitor and support-cases on Postgres and Kafka, in English and Chinese.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CaseView } from '@wallet-guard/contracts';
import { ensureConsoleBuilt } from '@wallet-guard/support-cases/console-build';
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
  system = await startSystem({ CASES_SLA_CALENDARS: 'P1=always,P2=always,P3=always,P4=always' });
});
afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await system?.stop();
});

async function newPage(locale = 'en-US'): Promise<{ browser: TestBrowser; page: Page }> {
  const browser = await launchBrowser(undefined, { locale });
  browsers.push(browser);
  return { browser, page: await browser.newPage() };
}

const wallet = { 'x-api-key': 'dev-wallet-key', 'content-type': 'application/json' };

/** A customer's request, through the wallet backend's route. */
async function request(accountId: string, message: string): Promise<string> {
  const res = await fetch(`${system.cases.url}/v1/customer-cases`, {
    method: 'POST',
    headers: wallet,
    body: JSON.stringify({ accountId, category: 'complaint', message, locale: 'en' }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { caseId: string }).caseId;
}

async function caseOf(id: string): Promise<CaseView> {
  const res = await fetch(`${system.cases.url}/v1/cases/${id}`, {
    headers: { authorization: `Bearer ${await system.agentToken('ada')}` },
  });
  return ((await res.json()) as { case: CaseView }).case;
}

async function signIn(page: Page, agent: string, role: 'agent' | 'supervisor', tokenLabel: string) {
  await page.goto(`${system.cases.url}/console/`);
  await page.getByLabel(tokenLabel).fill(await system.agentToken(agent, role));
  await page.keyboard.press('Enter');
}

describe('merging a duplicate from the case page', () => {
  it('picks the survivor among the account’s other open cases, then shows the survivor with both stories', async () => {
    const accountId = randomUUID();
    const first = await request(accountId, 'My transfer is late');
    const second = await request(accountId, 'Still late: second request');
    const [survivor, duplicate] = await Promise.all([caseOf(first), caseOf(second)]);

    const { browser, page } = await newPage();
    await signIn(page, 'ada', 'agent', 'Agent token');
    await page.getByRole('link', { name: duplicate.number }).click();
    const form = page.getByRole('form', { name: 'Merge into another case' });
    await form.getByLabel('Keep this case instead').selectOption(survivor.id);
    await form.getByLabel('Why they are the same').fill('The same late transfer');
    await screenshot(page, 'console-en-merge', 'merge');
    await form.getByRole('button', { name: 'Merge' }).click();

    // The survivor opens, with the duplicate's note and the merge on its timeline.
    await page.getByRole('heading', { name: new RegExp(`^${survivor.number} · `) }).waitFor();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByText('Still late: second request').waitFor();
    await timeline.getByText('The same late transfer').waitFor();
    expect((await caseOf(second)).mergedInto).toBe(survivor.id);
    expect((await caseOf(second)).status).toBe('closed');

    // The merged case says where its work went, and offers no reopening.
    await page.goto(`${system.cases.url}/console/#/cases/${duplicate.id}`);
    await page.getByRole('link', { name: 'Open that case' }).waitFor();
    expect(await page.getByRole('form', { name: 'Reopen' }).count()).toBe(0);
    await expectAccessible(page, 'en merged case');
    expect(browser.errors).toEqual([]);
  });
});

describe('the desk report', () => {
  it('shows charts and tables to a supervisor, downloads the CSV, and speaks Chinese', async () => {
    // Some work on the desk: one request answered, one resolved, one waiting.
    const answered = await request(randomUUID(), 'Where is my refund?');
    const resolved = await request(randomUUID(), 'How do I change my e-mail?');
    await request(randomUUID(), 'Card declined abroad');
    const act = async (id: string, action: string, body: unknown) => {
      const res = await fetch(`${system.cases.url}/v1/cases/${id}/${action}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await system.agentToken('ada')}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
    };
    await act(answered, 'claim', {});
    await act(resolved, 'resolve', { outcome: 'customer_error', note: 'Explained in the app' });

    const { browser, page } = await newPage();
    await signIn(page, 'sue', 'supervisor', 'Agent token');
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Desk report' }).waitFor();
    await page.getByRole('img', { name: 'Open cases by age' }).waitFor();
    expect(await page.locator('canvas').count()).toBe(5);
    const outcomes = page.getByRole('region', { name: 'Cases by type and outcome' });
    await outcomes.getByText('Customer error').first().waitFor();
    const load = page.getByRole('region', { name: 'Load per agent' });
    expect(await load.getByRole('row', { name: /^ada / }).textContent()).toMatch(/^ada\d+\d+$/);
    await expectAccessible(page, 'en reports');
    await screenshot(page, 'console-en-reports', 'reports');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^desk-report-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('section,key,subkey,metric,value');
    expect(csv).toContain('cases,customer_complaint,open,count,');

    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('heading', { name: '服务台报表' }).waitFor();
    // Opened again, the page is in the language the agent chose (kept on the server), charts and all.
    await page.reload();
    await page.getByRole('heading', { name: '服务台报表' }).waitFor();
    await page.getByRole('img', { name: '按时长统计的未结工单' }).waitFor();
    await page.getByRole('region', { name: '按类型和结果统计的工单' }).getByText('尚未解决').first().waitFor();
    await expectAccessible(page, 'zh-CN reports');
    await screenshot(page, 'console-zh-CN-reports', 'zh-CN-reports');
    expect(browser.errors).toEqual([]);
  });

  it('offers no report to an agent', async () => {
    const { page } = await newPage();
    await signIn(page, 'ada', 'agent', 'Agent token');
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    expect(await page.getByRole('link', { name: 'Reports' }).count()).toBe(0);
  });
});
