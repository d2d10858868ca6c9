// The agent console in real headless Chromium against the three real services (Postgres, Kafka,
// HTTP between them): what an agent does with a lockout case, start to finish.
import { randomUUID } from 'node:crypto';
import type { CaseView, DeliveryView } from '@wallet-guard/contracts';
import { ensureConsoleBuilt } from '@wallet-guard/support-cases/console-build';
import { waitFor } from '@wallet-guard/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type System, startSystem } from '../e2e/system';
import { screenshot } from './artifacts';
import { launchBrowser, type TestBrowser } from './browser';
import { type FakeNotifier, startFakeNotifier } from './fake-notifier';

let system: System;
let notifier: FakeNotifier;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  await ensureConsoleBuilt();
  notifier = await startFakeNotifier();
  // Breaches are looked for every second here, so a deadline moved into the past shows at once;
  // SLAs run around the clock, so the deadlines do not depend on the weekday and hour of the run.
  [system, browser] = await Promise.all([
    startSystem({
      CASES_SLA_CHECK_INTERVAL_MS: '1000',
      CASES_NOTIFIER_URL: notifier.url,
      CASES_SLA_CALENDARS: 'P1=always,P2=always,P3=always,P4=always',
    }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
  await notifier?.close();
});

const password = 'Quiet-lantern-orbit-2026!';
const wallet = { 'x-api-key': 'dev-wallet-key', 'content-type': 'application/json' };

async function post(path: string, body: unknown) {
  const res = await fetch(`${system.auth.url}${path}`, { method: 'POST', headers: wallet, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json().catch(() => null)) as { accountId?: string } | null };
}

const signIn = (email: string, pw: string) =>
  post('/v1/sessions', {
    email,
    password: pw,
    context: { ip: '203.0.113.50', deviceId: 'stranger-laptop', country: 'NL' },
  });

async function asAgent<T>(path: string, agent = 'ada'): Promise<T> {
  const res = await fetch(`${system.cases.url}${path}`, {
    headers: { authorization: `Bearer ${await system.agentToken(agent)}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/** Wrong passwords through auth's API until the account locks; resolves to the case it opens. */
async function lockedOutCustomer(): Promise<{ email: string; accountId: string; c: CaseView }> {
  const email = `console-${randomUUID()}@example.com`;
  const created = await post('/v1/accounts', { email, password, locale: 'en' });
  expect(created.status).toBe(201);
  const accountId = created.body?.accountId as string;
  for (let i = 0; i < 5; i++) expect((await signIn(email, `wrong-password-${i}`)).status).toBe(401);
  const c = await waitFor(
    async () =>
      (await asAgent<{ items: CaseView[] }>(`/v1/cases?accountId=${accountId}`)).items.find(
        (x) => x.type === 'account_lockout',
      ),
    { what: 'the lockout case', timeoutMs: 30_000 },
  );
  return { email, accountId, c };
}

/** What the notifier reports for a locked-out customer: one message in each state worth reading. */
function deliveriesOf(accountId: string, caseId: string): DeliveryView[] {
  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const base = {
    accountId,
    channel: 'email',
    recipient: 'c***e@example.com',
    lastAttemptAt: at(1),
    sentAt: null,
    nextAttemptAt: null,
    serverResponse: null,
    lastError: null,
  } as const;
  return [
    {
      ...base,
      id: randomUUID(),
      eventId: randomUUID(),
      caseId,
      kind: 'case_opened',
      locale: 'en',
      status: 'failed',
      attempts: 1,
      createdAt: at(1),
      lastError: 'smtp 550: mailbox unavailable',
    },
    {
      ...base,
      id: randomUUID(),
      eventId: randomUUID(),
      caseId: null,
      kind: 'new_sign_in',
      locale: 'en',
      status: 'retrying',
      attempts: 3,
      createdAt: at(2),
      nextAttemptAt: at(-1),
      lastError: 'connection refused',
    },
    {
      ...base,
      id: randomUUID(),
      eventId: randomUUID(),
      caseId: null,
      kind: 'unlock_link',
      locale: 'zh-CN',
      status: 'sent',
      attempts: 1,
      createdAt: at(3),
      sentAt: at(3),
      serverResponse: '250 2.0.0 Ok: queued as 4F2A1',
    },
  ];
}

/** The browser's own log line for an HTTP error answer (not an error of the console's code). */
const httpErrorLog = (status: number) => new RegExp(`status of ${status}`);

describe('the agent console', () => {
  it('an agent signs in, claims a lockout case the test caused, unlocks the account with a recorded check and resolves it', async () => {
    const { email, accountId, c } = await lockedOutCustomer();
    notifier.deliveries.set(accountId, deliveriesOf(accountId, c.id));
    page = await browser.newPage();
    await page.goto(`${system.cases.url}/console/`);

    // Keyboard only: type the token, Enter signs in.
    await page.getByLabel('Agent token').fill(await system.agentToken('ada'));
    await page.keyboard.press('Enter');
    await page.getByText('Signed in as ada').waitFor();
    const link = page.getByRole('link', { name: c.number });
    await link.waitFor();
    const row = page.getByRole('row').filter({ has: link });
    const rowText = await row.textContent();
    expect(rowText).toContain('P3 normal');
    expect(rowText).toContain('Account locked out');
    // The SLA countdown is live: it changes while nothing else happens.
    const sla = row.locator('time');
    const countdown = await sla.textContent();
    expect(countdown).toMatch(/^first response due in \dh \d\dm \d\ds$/);
    await waitFor(async () => (await sla.textContent()) !== countdown, { what: 'the countdown to tick' });
    expect(await page.evaluate('sessionStorage.getItem("wallet-guard.agent-token")')).toMatch(/^ey/);
    await screenshot(page, 'console-queue');

    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `${c.number} · Account locked out` }).waitFor();
    const account = page.getByRole('region', { name: 'Account' });
    await account.getByText('Locked', { exact: true }).waitFor();
    expect(await account.textContent()).toContain('Failed: wrong password');
    expect(await account.textContent()).toContain('stranger-laptop');

    // "I never got the e-mail": what was sent, where, in which language, and what became of it.
    const messages = page.getByRole('region', { name: 'Messages to the customer' });
    const headers = await messages.getByRole('columnheader').allTextContents();
    expect(headers).toEqual(['When', 'Message', 'Channel', 'To', 'Status', 'Language']);
    const rows = messages.getByRole('row').filter({ has: page.getByRole('cell') });
    const texts = await rows.allTextContents();
    expect(texts).toHaveLength(3);
    expect(texts[0]).toMatch(
      /Case openedthis caseE-mailc\*\*\*e@example\.comfailed: smtp 550: mailbox unavailableen · English/,
    );
    expect(texts[1]).toContain('Was this you? (new sign-in)');
    expect(texts[1]).toContain('retrying (attempt 3): connection refused, next try');
    expect(texts[2]).toMatch(/Unlock linkE-mail/);
    expect(texts[2]).toContain('accepted by the mail server');
    expect(texts[2]).toContain('250 2.0.0 Ok: queued as 4F2A1');
    expect(texts[2]).toContain('zh-CN · Chinese (China)');

    const actions = page.getByRole('region', { name: 'Actions' });
    const outcome = actions.getByRole('status');
    await actions.getByRole('form', { name: 'Claim' }).getByRole('button', { name: 'Claim' }).click();
    await outcome.getByText(`✓ Claimed: ${c.number} is yours.`).waitFor();
    await page.getByText('held by ada').waitFor();

    const unlock = page.getByRole('form', { name: 'Unlock account' });
    await unlock.getByLabel('Identity check').selectOption('video_call');
    await unlock.getByLabel('Reference of the check').fill('call-2026-11-23-0042');
    await unlock.getByRole('button', { name: 'Unlock account' }).click();
    await outcome
      .getByText('✓ Account unlocked. Identity check recorded: Video call, reference call-2026-11-23-0042.')
      .waitFor();
    await page.getByText('Identity check: Video call, reference call-2026-11-23-0042').waitFor();
    await account.getByText('Not locked').waitFor();
    await screenshot(page, 'console-case');

    const resolve = page.getByRole('form', { name: 'Resolve' });
    await resolve.getByLabel('Outcome').selectOption('unlocked');
    await resolve.getByLabel('Closing note').fill('Verified on a video call; customer signed in again.');
    await resolve.getByRole('button', { name: 'Resolve' }).click();
    await outcome.getByText('✓ Resolved: Unlocked after identity check.').waitFor();
    await page.getByText('outcome: Unlocked after identity check').waitFor();
    await page.getByRole('form', { name: 'Reopen' }).waitFor();

    // What the console showed is what the service recorded, and the customer is back in.
    const after = await asAgent<{ case: CaseView; timeline: { kind: string; actor: string; data: unknown }[] }>(
      `/v1/cases/${c.id}`,
    );
    expect(after.case).toMatchObject({ status: 'resolved', outcome: 'unlocked', assignee: 'ada' });
    expect(after.timeline.find((t) => t.kind === 'account_unlocked')).toMatchObject({
      actor: 'agent:ada',
      data: { verification: { method: 'video_call', reference: 'call-2026-11-23-0042' } },
    });
    expect((await signIn(email, password)).status).toBe(200);
    expect(browser.errors).toEqual([]);
  });

  it('shows a new case in the queue without a reload', async () => {
    await page.getByRole('link', { name: 'Back to the queue' }).click();
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    // A reload would drop this mark: it proves the row came in through polling.
    await page.evaluate('window.stillTheSamePage = true');
    const { c } = await lockedOutCustomer();
    await page.getByRole('link', { name: c.number }).waitFor({ timeout: 30_000 });
    expect(await page.evaluate('window.stillTheSamePage')).toBe(true);
    expect(await page.getByRole('row').filter({ hasText: c.number }).textContent()).toContain('new');
    await page.getByText('1 new case arrived').waitFor();
    expect(browser.errors).toEqual([]);
  });

  it('says in words, with the code, why an action was refused; only supervisors are offered unfreeze', async () => {
    const { c } = await lockedOutCustomer();
    const claimed = await fetch(`${system.cases.url}/v1/cases/${c.id}/claim`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await system.agentToken('ada')}` },
    });
    expect(claimed.status).toBe(200);

    const bo = await openCaseAs('bo', 'agent', c);
    await bo.getByText('Held by ada.').waitFor();
    expect(await bo.getByRole('form', { name: 'Unfreeze account' }).count()).toBe(0);
    const errorsBefore = browser.errors.length;
    await bo.getByRole('form', { name: 'Claim' }).getByRole('button', { name: 'Claim' }).click();
    await bo.getByText('✗ Claim: Another agent holds this case. (CASE_ALREADY_CLAIMED: held by ada)').waitFor();
    // The only console line is Chromium's own note of the 409 answer.
    expect(browser.errors.slice(errorsBefore)).toEqual([expect.stringMatching(httpErrorLog(409))]);
    browser.errors.splice(errorsBefore);

    const sam = await openCaseAs('sam', 'supervisor', c);
    await sam.getByRole('form', { name: 'Unfreeze account' }).waitFor();
    await sam.getByRole('button', { name: 'Take over' }).waitFor();
    expect(browser.errors).toEqual([]);
  });

  it('says when the notifier cannot tell what was sent, and shows the rest of the case', async () => {
    const { accountId, c } = await lockedOutCustomer();
    notifier.failing.add(accountId);
    const tab = await openCaseAs('ada', 'agent', c);
    const messages = tab.getByRole('region', { name: 'Messages to the customer' });
    await messages.getByText('Delivery status is unavailable right now.').waitFor();
    expect(await messages.getByRole('table').count()).toBe(0);
    await tab.getByRole('region', { name: 'Account' }).getByText('Locked', { exact: true }).waitFor();
    expect(browser.errors).toEqual([]);
  });

  it('stays readable on a narrow window: nothing wider than the screen', async () => {
    const { accountId, c } = await lockedOutCustomer();
    notifier.deliveries.set(accountId, deliveriesOf(accountId, c.id));
    const narrow = await openCaseAs('ada', 'agent', c);
    await narrow.getByRole('region', { name: 'Messages to the customer' }).getByText('Unlock link').waitFor();
    await narrow.setViewportSize({ width: 390, height: 800 });
    const overflow = async () =>
      (await narrow.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
    expect(await overflow()).toBeLessThanOrEqual(0);
    await narrow.getByRole('link', { name: 'Back to the queue' }).click();
    await narrow.getByRole('link', { name: c.number }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(browser.errors).toEqual([]);
  });

  it('marks a case whose deadline passed as breached, counting how long it is overdue', async () => {
    const { c } = await lockedOutCustomer();
    // Four hours and two minutes go by on support-cases' clock (its P3 first-response SLA is 4 h):
    // the service's SLA watch finds the missed deadline by itself, and the browser's clock shows
    // the same time, so the console counts the same overdue minutes.
    system.advanceCasesClock((4 * 60 + 2) * 60_000);
    await page.clock.setFixedTime(system.casesNow());
    await page.goto(`${system.cases.url}/console/#/`); // a reload: the tab keeps its token
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: c.number }) });
    await row.getByText('SLA breached').waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toMatch(/first response overdue by \dm \d\ds/);
    expect(await row.getAttribute('class')).toContain('is-breached');
    expect(browser.errors).toEqual([]);
  });
});

/** A new tab (its own sessionStorage) signed in as `agent`, on the case page. */
async function openCaseAs(agent: string, role: 'agent' | 'supervisor', c: CaseView): Promise<Page> {
  const tab = await browser.context.newPage();
  await tab.goto(`${system.cases.url}/console/#/cases/${c.id}`);
  await tab.getByLabel('Agent token').fill(await system.agentToken(agent, role));
  await tab.getByRole('button', { name: 'Sign in' }).click();
  await tab.getByRole('heading', { name: `${c.number} · Account locked out` }).waitFor();
  return tab;
}
