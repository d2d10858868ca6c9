// The supervisors' business hours in the agent console, in real headless Chromium against auth,
// the monitor and support-cases on Postgres and Kafka: the calendar settings changed from the page
// in Chinese and in English (each save a new version, kept in the history), the server's refusals
// in words (an end before the start, someone saving first), and no page for agents.
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
  // Version 1 of the calendar settings: the configured defaults, saved on first use.
  system = await startSystem({
    CASES_BUSINESS_TIME_ZONE: 'UTC',
    CASES_BUSINESS_HOURS: 'mon-fri=09:00-17:00',
    CASES_SLA_CALENDARS: 'P1=always,P2=business,P3=business,P4=business',
  });
});
afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await system?.stop();
});

interface Settings {
  version: number;
  changedBy: string;
  note: string | null;
  calendars: Record<
    string,
    { timeZone: string; weeklyHours: Record<string, { start: string; end: string }[]>; holidays: string[] }
  >;
  priorities: Record<'P1' | 'P2' | 'P3' | 'P4', string>;
}

/** The settings in force, as support-cases answers them. */
async function settingsNow(): Promise<Settings> {
  const res = await fetch(`${system.cases.url}/v1/sla/calendars`, {
    headers: { authorization: `Bearer ${await system.agentToken('ada')}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Settings;
}

async function newPage(locale: string): Promise<{ browser: TestBrowser; page: Page }> {
  const browser = await launchBrowser(undefined, { locale });
  browsers.push(browser);
  return { browser, page: await browser.newPage() };
}

/** The sign-in page speaks the browser's language ("Agent token", "客服令牌"), as the console then does. */
async function signIn(page: Page, agent: string, role: 'agent' | 'supervisor', tokenLabel = 'Agent token') {
  await page.goto(`${system.cases.url}/console/`);
  await page.getByLabel(tokenLabel).fill(await system.agentToken(agent, role));
  await page.keyboard.press('Enter');
}

const httpErrorLog = (status: number) => expect.stringMatching(new RegExp(`status of ${status}`));

describe('the business hours page', () => {
  it('lets a supervisor change P2’s calendar hours in Chinese, and words an end before the start', async () => {
    const { browser, page } = await newPage('zh-CN');
    await signIn(page, 'sue', 'supervisor', '客服令牌');
    await page.getByRole('link', { name: '营业时间' }).click();
    await page.getByRole('heading', { level: 1, name: '营业时间' }).waitFor();
    await page.getByRole('heading', { name: '第 1 版（当前生效）' }).waitFor();
    const current = page.getByRole('region', { name: '第 1 版（当前生效）' });
    expect(await current.getByRole('row', { name: /^P2 高/ }).textContent()).toBe('P2 高business');
    expect(await current.getByRole('row', { name: /^P1 紧急/ }).textContent()).toBe('P1 紧急全天候（always）');
    await current.getByText('时区：UTC').waitFor();

    // Longer hours on Monday, and a Saturday morning, for the calendar P2 (and P3, P4) count in.
    const form = page.getByRole('form', { name: '修改营业时间' });
    const business = form.getByRole('group', { name: '日历“business”' });
    const monday = business.getByRole('group', { name: '星期一' });
    await monday.getByLabel('开始').fill('08:00');
    await monday.getByLabel('结束').fill('18:30');
    const saturday = business.getByRole('group', { name: '星期六' });
    await saturday.getByRole('button', { name: '为星期六添加时段' }).click();
    await saturday.getByLabel('开始').fill('10:00');
    await saturday.getByLabel('结束').fill('14:00');
    await form.getByLabel('备注').fill('早班与周六上午');
    await form.getByRole('button', { name: '保存为第 2 版' }).click();

    await page.getByRole('status').getByText('已保存为第 2 版。').waitFor();
    const second = page.getByRole('region', { name: '第 2 版（当前生效）' });
    await second.getByText(/^由 sue（客服专员） 于 .+ 保存$/).waitFor();
    await second.getByText('早班与周六上午').waitFor();
    expect(await second.getByRole('row', { name: /^星期一/ }).textContent()).toBe('星期一08:00–18:30');
    expect(await second.getByRole('row', { name: /^星期六/ }).textContent()).toBe('星期六10:00–14:00');
    const history = page.getByRole('region', { name: '版本历史' }).getByRole('listitem');
    expect(await history.count()).toBe(2);
    expect(await history.first().locator('summary').textContent()).toMatch(/^第 2 版 · .*sue.* · .+ · 早班与周六上午$/);
    expect(await history.nth(1).locator('summary').textContent()).toMatch(/^第 1 版 · /);

    const saved = await settingsNow();
    expect(saved).toMatchObject({ version: 2, changedBy: 'agent:sue', note: '早班与周六上午' });
    expect(saved.priorities).toEqual({ P1: 'always', P2: 'business', P3: 'business', P4: 'business' });
    expect(saved.calendars.business?.weeklyHours).toMatchObject({
      monday: [{ start: '08:00', end: '18:30' }],
      tuesday: [{ start: '09:00', end: '17:00' }],
      saturday: [{ start: '10:00', end: '14:00' }],
      sunday: [],
    });
    await expectAccessible(page, 'zh-CN business hours');
    await screenshot(page, 'console-zh-CN-business-hours');

    // An end before the start: the server refuses it (422), the page says so in Chinese, nothing is saved.
    const wednesday = page
      .getByRole('form', { name: '修改营业时间' })
      .getByRole('group', { name: '日历“business”' })
      .getByRole('group', { name: '星期三' });
    await wednesday.getByLabel('开始').fill('17:00');
    await wednesday.getByLabel('结束').fill('09:00');
    const errorsBefore = browser.errors.length;
    await page.getByRole('button', { name: '保存为第 3 版' }).click();
    await page
      .getByRole('alert')
      .getByText('日历“business”，星期三：17:00–09:00 的结束时间早于开始时间。（CASE_CALENDAR_INVERTED_RANGE）')
      .waitFor();
    expect(browser.errors.slice(errorsBefore)).toEqual([httpErrorLog(422)]);
    browser.errors.splice(errorsBefore);
    expect((await settingsNow()).version).toBe(2);
    await expectAccessible(page, 'zh-CN business hours refused');
    expect(browser.errors).toEqual([]);
  });

  it('gives P2 its own calendar in English, after reloading a version another supervisor saved meanwhile', async () => {
    const { browser, page } = await newPage('en-US');
    await signIn(page, 'sam', 'supervisor');
    await page.getByRole('link', { name: 'Business hours' }).click();
    await page.getByRole('heading', { name: 'Version 2, in force' }).waitFor();

    // Meanwhile sue adds Christmas through the API: version 3.
    const base = await settingsNow();
    const business = base.calendars.business;
    if (!business) throw new Error('no business calendar');
    const put = await fetch(`${system.cases.url}/v1/sla/calendars`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${await system.agentToken('sue', 'supervisor')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        expectedVersion: 2,
        calendars: { business: { ...business, holidays: ['2026-12-25'] } },
        priorities: base.priorities,
        note: 'Christmas',
      }),
    });
    expect(put.status).toBe(200);

    const giveP2ItsOwnHours = async () => {
      const form = page.getByRole('form', { name: 'Change the business hours' });
      const adding = form.getByRole('group', { name: 'Add a calendar' });
      await adding.getByLabel('Name of the new calendar').fill('extended');
      await adding.getByRole('button', { name: 'Add a calendar' }).click();
      const extended = form.getByRole('group', { name: 'Calendar “extended”' });
      await extended.getByLabel('Time zone').fill('Asia/Shanghai');
      await extended.getByRole('group', { name: 'Tuesday' }).getByLabel('Closes').fill('20:00');
      await form.getByLabel('P2 high').selectOption('extended');
      return form;
    };

    let form = await giveP2ItsOwnHours();
    const errorsBefore = browser.errors.length;
    await form.getByRole('button', { name: 'Save as version 3' }).click();
    const conflict = page.getByRole('alert');
    await conflict
      .getByText(
        'Someone saved a newer version (3) since you opened version 2: reload to see it, then make your change again. (CASE_CALENDAR_VERSION_CONFLICT)',
      )
      .waitFor();
    expect((await settingsNow()).version).toBe(3);
    await conflict.getByRole('button', { name: 'Reload the newest version' }).click();
    const third = page.getByRole('region', { name: 'Version 3, in force' });
    await third.getByText('Holidays: 2026-12-25').waitFor();
    expect(await page.getByRole('group', { name: 'Calendar “extended”' }).count()).toBe(0);

    form = await giveP2ItsOwnHours();
    await form.getByLabel('Note').fill('Longer hours for P2, Shanghai time');
    await form.getByRole('button', { name: 'Save as version 4' }).click();
    await page.getByRole('status').getByText('Saved as version 4.').waitFor();
    const fourth = page.getByRole('region', { name: 'Version 4, in force' });
    expect(await fourth.getByRole('row', { name: /^P2 high/ }).textContent()).toBe('P2 highextended');
    expect(await fourth.getByRole('row', { name: /^P3 normal/ }).textContent()).toBe('P3 normalbusiness');
    await fourth.getByText('Time zone: Asia/Shanghai').waitFor();
    expect(await page.getByRole('region', { name: 'Version history' }).getByRole('listitem').count()).toBe(4);

    const saved = await settingsNow();
    expect(saved).toMatchObject({ version: 4, changedBy: 'agent:sam', note: 'Longer hours for P2, Shanghai time' });
    expect(saved.priorities).toEqual({ P1: 'always', P2: 'extended', P3: 'business', P4: 'business' });
    expect(saved.calendars.business?.holidays).toEqual(['2026-12-25']);
    expect(saved.calendars.extended).toEqual({
      timeZone: 'Asia/Shanghai',
      weeklyHours: {
        monday: [{ start: '09:00', end: '17:00' }],
        tuesday: [{ start: '09:00', end: '20:00' }],
        wednesday: [{ start: '09:00', end: '17:00' }],
        thursday: [{ start: '09:00', end: '17:00' }],
        friday: [{ start: '09:00', end: '17:00' }],
        saturday: [],
        sunday: [],
      },
      holidays: [],
    });
    await expectAccessible(page, 'en business hours');
    await screenshot(page, 'console-en-business-hours');

    // An end before the start, in English.
    const friday = page
      .getByRole('form', { name: 'Change the business hours' })
      .getByRole('group', { name: 'Calendar “extended”' })
      .getByRole('group', { name: 'Friday' });
    await friday.getByLabel('Opens').fill('18:00');
    await friday.getByLabel('Closes').fill('08:00');
    await page.getByRole('button', { name: 'Save as version 5' }).click();
    await page
      .getByRole('alert')
      .getByText('Calendar “extended”, Friday: 18:00–08:00 ends before it starts. (CASE_CALENDAR_INVERTED_RANGE)')
      .waitFor();
    expect((await settingsNow()).version).toBe(4);
    expect(browser.errors.slice(errorsBefore)).toEqual([httpErrorLog(409), httpErrorLog(422)]);
  });

  it('is neither offered nor shown to an agent', async () => {
    const { page } = await newPage('en-US');
    await signIn(page, 'ada', 'agent');
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    expect(await page.getByRole('link', { name: 'Business hours' }).count()).toBe(0);
    // The address typed in: the page stays the queue.
    await page.goto(`${system.cases.url}/console/#/business-hours`);
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Business hours' }).count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Change the business hours' }).count()).toBe(0);
  });
});
