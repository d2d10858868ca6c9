// Two things a customer notices without doing anything, in headless Chromium at phone size against
// the real auth: the pages speak the account's language once signed in (unless the customer chose
// one), and the reset page's live password feedback: as the customer types, the page's script
// asks the portal, which asks auth's policy, and the hint says what is wrong (or that the password
// is fine) in the page's language.
import { noteSecretsIn } from '@wallet-guard/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../console/browser';
import { expectAccessible, PASSWORD, type PortalSystem, register, startPortalSystem } from './portal-system';

let env: PortalSystem;
let browser: TestBrowser;
const requested: string[] = [];
beforeAll(async () => {
  env = await startPortalSystem();
  browser = await launchBrowser({ width: 390, height: 844 });
  browser.context.on('request', (request) => requested.push(request.url()));
});
afterAll(async () => {
  await browser?.close();
  await env?.stop();
});

/** The page is opened as from an e-mail link; the token is never used (nothing is submitted). */
const RESET_LINK = `/reset-password#token=pr_${'0123456789abcdef'.repeat(2)}`;
const COMMON = '1qaz2wsx3edc';
const STRONG = 'Harbour-velvet-kite-lantern-93';
noteSecretsIn({ passwords: [COMMON, STRONG] });

async function typeInto(page: Page, text: string): Promise<void> {
  const field = page.locator('#newPassword');
  await field.fill('');
  // Typed key by key, faster than the script's pause: it asks once the typing stops.
  await field.pressSequentially(text, { delay: 20 });
}

const feedback = (page: Page) => page.locator('#password-feedback');

/**
 * The first check starts auth's strength worker (zxcvbn's dictionaries load on first use), which
 * takes a second or more on a busy machine: poll for the answer instead of vitest's 1 s default.
 */
const FEEDBACK_WAIT = { timeout: 15_000 };

describe('live password feedback on the reset page', () => {
  it('warns about a common password as it is typed, then accepts a strong one; accessible both times', async () => {
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${env.url}${RESET_LINK}`);

    await typeInto(page, COMMON);
    await expect.poll(() => feedback(page).textContent(), FEEDBACK_WAIT).toContain('in a list of common passwords');
    expect(await feedback(page).textContent()).toContain('This password cannot be used');
    await expectAccessible(page, 'reset page, common password');

    await typeInto(page, STRONG);
    await expect.poll(() => feedback(page).textContent(), FEEDBACK_WAIT).toBe('This password can be used.');
    await expectAccessible(page, 'reset page, strong password');

    // Emptied, the hint goes away.
    await page.locator('#newPassword').fill('');
    await expect.poll(() => feedback(page).textContent(), FEEDBACK_WAIT).toBe('');

    // The password went only in a POST body: never in a URL, never in the portal's log.
    const feedbackCalls = requested.filter((url) => url.endsWith('/password-feedback'));
    expect(feedbackCalls.length).toBeGreaterThanOrEqual(2);
    expect(feedbackCalls.length).toBeLessThan(COMMON.length + STRONG.length);
    expect(requested.filter((url) => url.includes(COMMON) || url.includes(STRONG))).toEqual([]);
    expect(env.portal.logs.leaked([COMMON, STRONG])).toEqual([]);
  });

  it('speaks the page language: zh-CN', async () => {
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await page.setExtraHTTPHeaders({ 'accept-language': 'zh-CN' });
    await page.goto(`${env.url}${RESET_LINK}`);
    await typeInto(page, COMMON);
    await expect.poll(() => feedback(page).textContent(), FEEDBACK_WAIT).toContain('常见密码');
    await expectAccessible(page, 'zh-CN reset page, common password');
  });
});

describe("the account's language after sign-in", () => {
  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(`${env.url}/sign-in`);
    await page.locator('#email').fill(email);
    await page.locator('#password').fill(PASSWORD);
    await page.locator('main button[type="submit"]').click();
    await expect.poll(() => page.url()).toBe(`${env.url}/account`);
  }

  it("speaks the account's language when the customer chose none, and the chosen one when they did", async () => {
    const { email } = await register(env, 'zh-CN');
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await page.setExtraHTTPHeaders({ 'accept-language': 'en-GB,en;q=0.9' });
    await page.goto(`${env.url}/sign-in`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    await signIn(page, email);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.locator('main').textContent()).toContain(email);
    await expectAccessible(page, 'account page in the account language');

    // The switcher's choice wins over the account's language.
    const switched = page.waitForEvent('load');
    await page.locator('.languages button[value="en"]').click();
    await switched;
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    // Signed out, the account's language is forgotten with the session.
    await browser.context.clearCookies();
    await signIn(page, email);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.locator('main button[type="submit"]').click();
    await expect.poll(() => page.url()).toBe(`${env.url}/sign-in`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
  });

  it("an unknown address is a page in the customer's language, accessible", async () => {
    await browser.context.clearCookies();
    const page = await browser.newPage();
    for (const [language, title] of [
      ['en', 'Page not found'],
      ['zh-CN', '找不到页面'],
    ] as const) {
      await page.setExtraHTTPHeaders({ 'accept-language': language });
      const res = await page.goto(`${env.url}/no-such-page`);
      expect(res?.status()).toBe(404);
      expect(await page.getAttribute('html', 'lang')).toBe(language);
      expect(await page.title()).toContain(title);
      await expectAccessible(page, `${language} 404 page`);
    }
  });
});
