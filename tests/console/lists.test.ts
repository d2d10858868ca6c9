// The managed lists in the agent console (#/lists), in real headless Chromium against auth, the
// monitor and support-cases on Postgres and Kafka: a supervisor adds and removes entries in
// English (a bad CIDR refused in words), filters them and reads the audit trail; an agent reads
// them in Chinese without the forms; and a flag labelled fraud offers its destination to the
// block list on the case page. axe-core on every page.
import { randomUUID } from 'node:crypto';
import type { CaseView, ListEntriesPage, MonitorFlag } from '@wallet-guard/contracts';
import { ensureConsoleBuilt } from '@wallet-guard/support-cases/console-build';
import { waitFor } from '@wallet-guard/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../e2e/http';
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

async function newPage(locale: string): Promise<{ browser: TestBrowser; page: Page }> {
  const browser = await launchBrowser(undefined, { locale });
  browsers.push(browser);
  return { browser, page: await browser.newPage() };
}

async function signIn(page: Page, agent: string, role: 'agent' | 'supervisor', tokenLabel = 'Agent token') {
  await page.goto(`${system.cases.url}/console/`);
  await page.getByLabel(tokenLabel).fill(await system.agentToken(agent, role));
  await page.keyboard.press('Enter');
}

async function asAgent(agent: string, role: 'agent' | 'supervisor', method: string, path: string, body?: unknown) {
  return call(system.cases.url, method, path, body, {
    authorization: `Bearer ${await system.agentToken(agent, role)}`,
    'content-type': 'application/json',
  });
}

const httpErrorLog = (status: number) => expect.stringMatching(new RegExp(`status of ${status}`));

describe('the lists page', () => {
  it('lets a supervisor add, filter and remove entries in English, with the audit trail', async () => {
    const { browser, page } = await newPage('en-US');
    await signIn(page, 'sue', 'supervisor');
    await page.getByRole('link', { name: 'Lists' }).click();
    await page.getByRole('heading', { level: 1, name: 'Managed lists' }).waitFor();
    await page.getByText('No entries match.').waitFor();

    const form = page.getByRole('form', { name: 'Add an entry' });
    await form.getByLabel('Kind').selectOption('ip');
    await form.getByLabel('Value').fill('203.0.113.0/24');
    await form.getByLabel('Action').selectOption('block');
    await form.getByLabel('Reason').fill('Open proxy range');
    await form.getByRole('button', { name: 'Add to the list' }).click();
    await page.getByRole('status').getByText('Added 203.0.113.0/24 (lists version 1).').waitFor();
    await page.getByText('Lists version 1', { exact: true }).waitFor();
    const table = page.getByRole('table', { name: 'List entries, newest first' });
    const row = table.getByRole('row').filter({ hasText: '203.0.113.0/24' });
    expect(await row.textContent()).toContain('IP address or range');
    expect(await row.textContent()).toContain('Block');
    expect(await row.textContent()).toContain('sue (');

    await form.getByLabel('Kind').selectOption('device');
    await form.getByLabel('Value').fill('emulator-7');
    await form.getByLabel('Action').selectOption('review');
    await form.getByLabel('Reason').fill('Emulator farm');
    await form.getByRole('button', { name: 'Add to the list' }).click();
    await page.getByRole('status').getByText('Added emulator-7 (lists version 2).').waitFor();

    // Host bits set: refused by the monitor, in words with the code; nothing changes.
    const errorsBefore = browser.errors.length;
    await form.getByLabel('Kind').selectOption('ip');
    await form.getByLabel('Value').fill('10.0.0.1/8');
    await form.getByLabel('Reason').fill('Typo');
    await form.getByRole('button', { name: 'Add to the list' }).click();
    await page
      .getByRole('status')
      .getByText(/CASE_LIST_INVALID_VALUE/)
      .waitFor();
    expect(await page.getByRole('status').textContent()).toContain('This value does not fit the kind of entry');
    expect(browser.errors.slice(errorsBefore)).toEqual([httpErrorLog(400)]);
    browser.errors.splice(errorsBefore);
    await expectAccessible(page, 'en lists');
    await screenshot(page, 'console-en-lists');

    // Filters: review entries only, then all again.
    const filters = page.getByRole('form', { name: 'Filter the lists' });
    await filters.getByLabel('Action').selectOption('review');
    await table.getByRole('row').filter({ hasText: '203.0.113.0/24' }).waitFor({ state: 'detached' });
    expect(await table.getByRole('row').filter({ hasText: 'emulator-7' }).count()).toBe(1);
    await filters.getByLabel('Action').selectOption('');

    await page.getByRole('button', { name: 'Remove 203.0.113.0/24' }).click();
    await page.getByRole('status').getByText('Removed 203.0.113.0/24 (lists version 3).').waitFor();
    await table.getByRole('row').filter({ hasText: '203.0.113.0/24' }).waitFor({ state: 'detached' });
    await filters.getByLabel('Show removed entries').check();
    await table.getByRole('row').filter({ hasText: '203.0.113.0/24' }).getByText('removed').waitFor();

    const trail = page.getByRole('region', { name: 'Audit trail' }).getByRole('listitem');
    expect(await trail.count()).toBe(3);
    expect(await trail.first().textContent()).toMatch(
      /^Version 3 · .+ · sue \(.+\) removed IP address or range 203\.0\.113\.0\/24/,
    );
    expect(await trail.nth(2).textContent()).toContain('Block: Open proxy range');
    await expectAccessible(page, 'en lists with removed');
    expect(browser.errors).toEqual([]);

    const saved: ListEntriesPage = (await asAgent('ada', 'agent', 'GET', '/v1/lists/entries?includeRemoved=true')).body;
    expect(saved.items.map((e) => [e.value, e.author, e.removedBy])).toEqual([
      ['emulator-7', 'agent:sue', null],
      ['203.0.113.0/24', 'agent:sue', 'agent:sue'],
    ]);
  });

  it('shows the lists to an agent in Chinese, without the forms that change them', async () => {
    const { browser, page } = await newPage('zh-CN');
    await signIn(page, 'mei', 'agent', '客服令牌');
    await page.getByRole('link', { name: '名单' }).click();
    await page.getByRole('heading', { level: 1, name: '受管名单' }).waitFor();
    const row = page
      .getByRole('table', { name: '名单条目，最新的在前' })
      .getByRole('row')
      .filter({ hasText: 'emulator-7' });
    await row.waitFor();
    expect(await row.textContent()).toContain('设备');
    expect(await row.textContent()).toContain('复核');
    expect(await page.getByRole('form', { name: '添加条目' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^移除/ }).count()).toBe(0);
    await page
      .getByRole('region', { name: '审计记录' })
      .getByText(/^版本 2 · /)
      .waitFor();
    await expectAccessible(page, 'zh-CN lists');
    await screenshot(page, 'console-zh-CN-lists');
    expect(browser.errors).toEqual([]);
  });

  it('offers a supervisor to block the destination of a flag labelled fraud, from the case page', async () => {
    // A payment from a blocked country: suspected theft, a case, a flag naming its payee.
    expect(
      (
        await asAgent('sue', 'supervisor', 'POST', '/v1/lists/entries', {
          kind: 'country',
          value: 'KP',
          action: 'block',
          reason: 'Sanctioned',
        })
      ).status,
    ).toBe(201);
    const accountId = randomUUID();
    const mule = `bc1q-mule-${randomUUID().slice(0, 8)}`;
    const tx = {
      transactionId: `tx-${randomUUID()}`,
      accountId,
      type: 'transfer_out',
      amountMinor: '4000',
      currency: 'EUR',
      counterparty: { id: mule, kind: 'crypto_address' },
      context: { country: 'KP' },
      occurredAt: new Date().toISOString(),
    };
    expect((await call(system.monitor.url, 'POST', '/v1/transactions', { transactions: [tx] })).status).toBe(202);
    const theftCase: CaseView = await waitFor(
      async () => (await asAgent('ada', 'agent', 'GET', `/v1/cases?accountId=${accountId}`)).body.items[0],
      { what: 'the theft case', timeoutMs: 30_000 },
    );
    const flag: MonitorFlag = await waitFor(
      async () =>
        (
          await call(system.monitor.url, 'GET', `/v1/flags?accountId=${accountId}`, undefined, {
            'x-api-key': 'dev-internal-key',
          })
        ).body.items[0],
      { what: 'the flag' },
    );
    const labelled = await asAgent('ada', 'agent', 'POST', `/v1/cases/${theftCase.id}/actions/label-transaction`, {
      flagId: flag.id,
      label: 'fraud',
    });
    expect(labelled.status).toBe(200);

    // The agent who labelled it sees the offer, and that a supervisor accepts it.
    const agent = await newPage('en-US');
    await signIn(agent.page, 'ada', 'agent');
    await agent.page.goto(`${system.cases.url}/console/#/cases/${theftCase.id}`);
    const agentOffer = agent.page.getByRole('group', { name: `Block the recipient crypto_address:${mule}` });
    await agentOffer.getByText('A supervisor can add it to the block list.').waitFor();
    expect(await agentOffer.getByRole('button').count()).toBe(0);

    const { browser, page } = await newPage('en-US');
    await signIn(page, 'sue', 'supervisor');
    await page.goto(`${system.cases.url}/console/#/cases/${theftCase.id}`);
    const offer = page.getByRole('group', { name: `Block the recipient crypto_address:${mule}` });
    await offer.getByText(/^Labelled fraud: add the recipient crypto_address:bc1q-mule-/).waitFor();
    await expectAccessible(page, 'en case with block offer');
    await offer.getByRole('button', { name: 'Add to the block list' }).click();
    await offer.getByText(`crypto_address:${mule} is on the block list (lists version 5).`).waitFor();
    await screenshot(page, 'console-en-block-offer');
    expect(browser.errors).toEqual([]);
    expect(agent.browser.errors).toEqual([]);

    const entries: ListEntriesPage = (await asAgent('ada', 'agent', 'GET', '/v1/lists/entries?kind=counterparty')).body;
    expect(entries.items[0]).toMatchObject({
      value: `crypto_address:${mule}`,
      action: 'block',
      author: 'agent:sue',
      reason: `Confirmed fraud on case ${theftCase.number}, flag ${flag.id}`,
    });
  });
});
