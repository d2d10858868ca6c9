// A macro reply in the agent console, in real headless Chromium against auth, the monitor and
// support-cases on Postgres and Kafka: a supervisor's saved reply is picked in the note box,
// written out in the customer's language with their name and case number, edited, and sent; the
// macro's status goes through the case's state machine. Once with an English console on a
// Chinese customer's case, once with a Chinese console on an English customer's case.
import { randomUUID } from 'node:crypto';
import type { CaseDetailView, MacroView } from '@wallet-guard/contracts';
import { ensureConsoleBuilt } from '@wallet-guard/support-cases/console-build';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type System, startSystem } from '../e2e/system';
import { expectAccessible } from '../portal/portal-system';
import { screenshot } from './artifacts';
import { launchBrowser, type TestBrowser } from './browser';

let system: System;
const browsers: TestBrowser[] = [];
let macro: MacroView;

const wallet = { 'x-api-key': 'dev-wallet-key', 'content-type': 'application/json' };

async function call(method: string, base: string, path: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> };
}

const asAgent = async (agent: string, role: 'agent' | 'supervisor', method: string, path: string, body?: unknown) =>
  call(method, system.cases.url, path, body, {
    authorization: `Bearer ${await system.agentToken(agent, role)}`,
    'content-type': 'application/json',
  });

beforeAll(async () => {
  await ensureConsoleBuilt();
  system = await startSystem();
  const created = await asAgent('sam', 'supervisor', 'POST', '/v1/macros', {
    name: 'Ask for the receipt',
    texts: {
      en: 'Hello {{customerName}}, please send us the receipt for {{caseNumber}}.',
      'zh-CN': '{{customerName}}，您好！请把 {{caseNumber}} 的收据发给我们。',
    },
    setStatus: 'pending_customer',
    visibility: 'public',
  });
  expect(created.status).toBe(201);
  macro = created.body as unknown as MacroView;
});
afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await system?.stop();
});

/** A customer (their account in `locale`) with a complaint: the case support-cases opens for it. */
async function complaint(locale: string): Promise<{ caseId: string; number: string; name: string }> {
  const name = `mei-${randomUUID().slice(0, 6)}`;
  const account = await call(
    'POST',
    system.auth.url,
    '/v1/accounts',
    { email: `${name}+wallet@example.com`, password: 'Quiet-lantern-orbit-2026!', locale },
    wallet,
  );
  expect(account.status).toBe(201);
  const opened = await call(
    'POST',
    system.cases.url,
    '/v1/customer-cases',
    { accountId: account.body.accountId, category: 'complaint', message: 'The transfer is late', locale },
    wallet,
  );
  expect(opened.status).toBe(201);
  return { caseId: String(opened.body.caseId), number: String(opened.body.caseNumber), name };
}

async function openCase(locale: string, agent: string, caseId: string, tokenLabel: string): Promise<Page> {
  const browser = await launchBrowser(undefined, { locale });
  browsers.push(browser);
  const page = await browser.newPage();
  await page.goto(`${system.cases.url}/console/`);
  await page.getByLabel(tokenLabel).fill(await system.agentToken(agent));
  await page.keyboard.press('Enter');
  await page.getByLabel(tokenLabel).waitFor({ state: 'detached' });
  await page.goto(`${system.cases.url}/console/#/cases/${caseId}`);
  return page;
}

const detail = async (caseId: string) =>
  (await asAgent('ada', 'agent', 'GET', `/v1/cases/${caseId}`)).body as unknown as CaseDetailView;

describe('a macro reply', () => {
  it("an English console writes a Chinese customer's reply in Chinese, edited, and the case waits for them", async () => {
    const c = await complaint('zh-CN');
    const page = await openCase('en-US', 'ada', c.caseId, 'Agent token');
    const note = page.getByRole('region', { name: 'Actions' }).getByRole('form', { name: 'Note' });
    await note.getByLabel('Macro').selectOption({ label: 'Ask for the receipt' });
    const text = note.getByLabel('Text');
    await expect.poll(() => text.inputValue()).toBe(`${c.name}，您好！请把 ${c.number} 的收据发给我们。`);
    await note.getByText('Macro inserted in Chinese: edit it before sending.').waitFor();
    await note.getByText('Sending it also sets the status to “Waiting for customer”.').waitFor();
    expect(await note.getByLabel('The customer too').isChecked()).toBe(true);
    await expectAccessible(page, 'en case with a macro');
    await screenshot(page, 'console-en-macro', 'en-macro-reply');

    await text.fill(`${await text.inputValue()} 谢谢！`);
    await note.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('✓ Public note added: the customer will see it.').waitFor();

    const after = await detail(c.caseId);
    expect(after.case.status).toBe('pending_customer');
    const sent = after.timeline.find((e) => e.kind === 'note' && e.actor === 'agent:ada');
    expect(sent).toMatchObject({
      visibility: 'public',
      body: `${c.name}，您好！请把 ${c.number} 的收据发给我们。 谢谢！`,
    });
    expect(after.timeline.find((e) => e.kind === 'macro_applied')?.data).toMatchObject({ macroId: macro.id });
    // The form is empty again, and forgot the macro: a plain note sets no status.
    expect(await text.inputValue()).toBe('');
    expect(await note.locator('input[name="macroId"]').inputValue()).toBe('');
  });

  it("a Chinese console writes an English customer's reply in English", async () => {
    const c = await complaint('en');
    const page = await openCase('zh-CN', 'lin', c.caseId, '客服令牌');
    const note = page.getByRole('region', { name: '操作' }).getByRole('form', { name: '备注' });
    await note.getByLabel('快捷回复').selectOption({ label: 'Ask for the receipt' });
    const text = note.getByLabel('内容');
    await expect.poll(() => text.inputValue()).toBe(`Hello ${c.name}, please send us the receipt for ${c.number}.`);
    await note.getByText('已插入英文快捷回复：发送前请编辑。').waitFor();
    await expectAccessible(page, 'zh-CN case with a macro');
    await screenshot(page, 'console-zh-CN-macro', 'zh-CN-macro-reply');

    // Sent without the macro's status: the note goes out, the case stays open.
    await note.getByRole('button', { name: '发送时不更改状态' }).click();
    await note.getByRole('button', { name: '添加备注' }).click();
    await page.getByText('✓ 已添加公开备注：客户可以看到。').waitFor();
    const after = await detail(c.caseId);
    expect(after.case.status).toBe('open');
    expect(after.timeline.some((e) => e.kind === 'macro_applied')).toBe(false);
    expect(after.timeline.find((e) => e.kind === 'note' && e.actor === 'agent:lin')?.body).toBe(
      `Hello ${c.name}, please send us the receipt for ${c.number}.`,
    );
  });
});
