// Every portal page in every language through axe-core in headless Chromium at phone size
// (390 x 844): no serious or critical violation, no horizontal scroll. The journeys check the
// pages they pass in English; this file walks all of them, forms, refusals and results, per language.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_SCREENSHOTS, screenshot } from '../console/artifacts';
import { launchBrowser, type TestBrowser } from '../console/browser';
import {
  enrolTotp,
  expectAccessible,
  PASSWORD,
  type PortalSystem,
  register,
  startPortalSystem,
  submitTransactions,
} from './portal-system';
import { timeStep, totpAt } from './totp';
import { addVirtualAuthenticator, createConfirmation, localOrigin, webauthnEnv } from './virtual-authenticator';

let env: PortalSystem;
let browser: TestBrowser;
beforeAll(async () => {
  // A one-second recent-sign-in window, so the security page's step-up prompt can be checked too;
  // passkeys bound to `localhost`, where the passkey pages are opened.
  env = await startPortalSystem((url) => ({ AUTH_RECENT_SIGN_IN_SECONDS: '1', ...webauthnEnv(url) }));
  browser = await launchBrowser({ width: 390, height: 844 });
});
afterAll(async () => {
  await browser?.close();
  await env?.stop();
});

/** A token auth never issued: each link page answers its "this link does not work" result. */
const UNKNOWN_TOKEN = `xx_${'0123456789abcdef'.repeat(3)}`;

/** The pages the README shows, by what this walk calls them. */
const README_PAGES: Record<string, string> = {
  'sign-in': 'sign-in',
  'security, two-step on': 'security',
  'help, signed in': 'help',
  'a request': 'request',
  'security, a passkey': 'passkeys',
  'payment confirmation': 'confirmation',
};

async function check(page: Page, locale: string, what: string): Promise<void> {
  expect(await page.getAttribute('html', 'lang'), what).toBe(locale);
  await expectAccessible(page, `${locale} ${what}`);
  const readmeName = README_PAGES[what];
  if (readmeName) {
    await screenshot(page, `portal-${locale}-${readmeName}`, `${locale}-${readmeName}`, PORTAL_SCREENSHOTS);
  }
}

/** Submits the main form of the page (the first one in `main` unless `form` says which) and waits for the answer. */
async function submit(page: Page, form = 'main form'): Promise<void> {
  await page.locator(`${form} button[type="submit"]`).first().click();
  await page.waitForLoadState();
}

/**
 * The security page in every state, from two-step on (signed in with a recovery code, its recent
 * activity listed): other sessions ended; turning off refused, turned off; the step-up prompt
 * (auth's recent-sign-in window is one second here), enrolment, a wrong code, the recovery codes,
 * on again; new recovery codes refused, their step-up prompt, the new codes; the password's live
 * feedback, refused, changed.
 */
async function securityPages(page: Page, locale: string, recoveryCode: string): Promise<void> {
  await page.goto(`${env.url}/security`);
  // Recent activity lists this account's sign-ins and two-step enrolment: checked with the rest.
  await page.locator('main ul.activity li').first().waitFor();
  await check(page, locale, 'security, two-step on');
  // The sign-in of enrolTotp is another session: end it, then this browser's is the only one.
  await submit(page, 'main form[action="/security/sessions/revoke-others"]');
  await expect.poll(() => page.url()).toBe(`${env.url}/security`);
  await check(page, locale, 'every other session ended');
  await submit(page);
  await check(page, locale, 'turning off refused');
  await page.locator('#off-password').fill(PASSWORD);
  await page.locator('#recoveryCode').fill(recoveryCode);
  await submit(page);
  await expect.poll(() => page.url()).toBe(`${env.url}/security`);
  await check(page, locale, 'security, turned off');
  await page.waitForTimeout(2_200);
  await submit(page);
  await page.locator('#password').waitFor();
  await check(page, locale, 'step-up prompt');
  await page.locator('#password').fill('not the password at all');
  await submit(page);
  await check(page, locale, 'step-up refused');
  await page.locator('#password').fill(PASSWORD);
  await submit(page);
  await page.locator('#qr-code').waitFor();
  await check(page, locale, 'enrolment');
  const secret = ((await page.locator('#secret').textContent()) ?? '').replace(/\s/g, '');
  await page.locator('#code').fill(totpAt(secret, timeStep() - 20));
  await submit(page);
  await check(page, locale, 'enrolment code refused');
  await page.locator('#code').fill(totpAt(secret, timeStep()));
  await submit(page);
  await page.locator('#recovery-codes').waitFor();
  await check(page, locale, 'recovery codes');
  const codes = await page.locator('#recovery-codes li').allTextContents();
  await page.locator('main a[href="/security"]').click();
  await page.waitForLoadState();
  await check(page, locale, 'security, two-step on again');
  await submit(page, 'main form[action="/security/recovery-codes"]');
  await check(page, locale, 'new recovery codes refused');
  await page.locator('#new-recoveryCode').fill(codes[0] as string);
  await submit(page, 'main form[action="/security/recovery-codes"]');
  await page.locator('#password').waitFor();
  await check(page, locale, 'new recovery codes: step-up prompt');
  await page.locator('#password').fill(PASSWORD);
  await page.locator('#recoveryCode').fill(codes[0] as string);
  await submit(page);
  await page.locator('#recovery-codes').waitFor();
  await check(page, locale, 'new recovery codes');
  const fresh = await page.locator('#recovery-codes li').allTextContents();

  await page.goto(`${env.url}/security`);
  const password = 'main form[action="/security/password"]';
  await page.locator('#current-password').fill(PASSWORD);
  await page.locator('#newPassword').fill('password1234');
  await page.locator('#password-feedback li').first().waitFor();
  await check(page, locale, 'change password, live feedback');
  await page.locator('#pw-recoveryCode').fill(fresh[0] as string);
  await submit(page, password);
  await check(page, locale, 'change password refused');
  await page.locator('#current-password').fill(PASSWORD);
  await page.locator('#newPassword').fill('Harbour-velvet-kite-lantern-42');
  await page.locator('#pw-recoveryCode').fill(fresh[1] as string);
  await submit(page, password);
  await expect.poll(() => page.url()).toBe(`${env.url}/security`);
  await check(page, locale, 'password changed');
}

/**
 * The help centre signed in: the help page, the requests (none yet) with the form listing the
 * account's recent transactions (sent through the monitor: paid out in EUR, received in JPY), a
 * new request refused then filed (a dispute with a ticked and a typed transaction), its page, an
 * empty answer refused, an answer sent, and the list with the request in it.
 */
async function helpCentrePages(page: Page, locale: string, accountId: string): Promise<void> {
  const now = Date.now();
  await submitTransactions(env, [
    {
      transactionId: `tx-a11y-${now}-paid`,
      accountId,
      type: 'payment',
      amountMinor: '249999',
      currency: 'EUR',
      counterparty: { id: 'DE89370400440532013000-a-long-merchant-reference', kind: 'merchant' },
      occurredAt: new Date(now - 60_000).toISOString(),
    },
    {
      transactionId: `tx-a11y-${now}-received`,
      accountId,
      type: 'transfer_in',
      amountMinor: '120000',
      currency: 'JPY',
      occurredAt: new Date(now - 120_000).toISOString(),
    },
  ]);
  await page.goto(`${env.url}/help`);
  await check(page, locale, 'help, signed in');
  await page.locator('main a[href="/cases"]').click();
  await page.waitForLoadState();
  await check(page, locale, 'requests, none yet');
  await submit(page);
  await check(page, locale, 'new request refused');
  await page.locator('#category-transaction_dispute').check();
  await page.locator('#message').fill('A payment I did not make');
  await page.locator(`input[name="chosenTransactionIds"][value="tx-a11y-${now}-paid"]`).check();
  await page.locator('#transactionIds').fill('tx-a11y-1');
  await submit(page);
  await expect.poll(() => page.url()).toMatch(/\/cases\/CASE-\d{6,}$/);
  await check(page, locale, 'a request');
  await submit(page);
  await check(page, locale, 'empty answer refused');
  await page.locator('#reply').fill('It was on Monday');
  await submit(page);
  await page.locator('ol.messages li.customer').nth(1).waitFor();
  await check(page, locale, 'answer sent');
  await page.goto(`${env.url}/cases`);
  await check(page, locale, 'requests, one');
}

describe('every page is accessible in every language', () => {
  for (const locale of ['en', 'zh-CN'] as const) {
    it(`${locale}: sign-in, links, refusals, the second step, the account, help centre and security pages`, async () => {
      await browser.context.clearCookies();
      const page = await browser.newPage();
      await page.goto(`${env.url}/sign-in`);
      // The switcher, with the keyboard only: focus the language's button and press Enter.
      await page.locator(`.languages button[value="${locale}"]`).focus();
      const switched = page.waitForEvent('load');
      await page.keyboard.press('Enter');
      await switched;
      await check(page, locale, 'sign-in');

      for (const path of ['/forgot-password', '/unlock', '/reset-password', '/freeze']) {
        await page.goto(`${env.url}${path}`);
        // Opened without the e-mail's link: the page says how to get there, and offers no button.
        if (path !== '/forgot-password') expect(await page.locator('#token-missing').isVisible(), path).toBe(true);
        await check(page, locale, path);
      }
      for (const path of ['/unlock', '/reset-password', '/freeze']) {
        await page.goto(`${env.url}${path}#token=${UNKNOWN_TOKEN}`);
        if (path === '/reset-password') await page.locator('#newPassword').fill('Harbour-velvet-kite-lantern');
        await page.locator('main button[type="submit"]').click();
        await page.waitForLoadState();
        await check(page, locale, `${path} refused`);
      }

      const { email, accountId } = await register(env, locale);
      const { recoveryCodes } = await enrolTotp(env, email);
      await page.goto(`${env.url}/sign-in`);
      await page.locator('#email').fill(email);
      await page.locator('#password').fill('not the password at all');
      await page.locator('main button[type="submit"]').click();
      await page.waitForLoadState();
      await check(page, locale, 'sign-in refused');
      await page.locator('#password').fill(PASSWORD);
      await page.locator('main button[type="submit"]').click();
      await expect.poll(() => page.url()).toBe(`${env.url}/sign-in/second-step`);
      await check(page, locale, 'second step');
      await page.locator('#code').fill('000000');
      await page.locator('main button[type="submit"]').click();
      await page.waitForLoadState();
      await check(page, locale, 'second step refused');
      await page.locator('#code').fill('');
      await page.locator('#recoveryCode').fill(recoveryCodes[0] as string);
      await page.locator('main button[type="submit"]').click();
      await expect.poll(() => page.url()).toBe(`${env.url}/account`);
      await check(page, locale, 'account');
      await helpCentrePages(page, locale, accountId);
      await securityPages(page, locale, recoveryCodes[1] as string);
      await page.goto(`${env.url}/account`);
      await page.locator('main button[type="submit"]').click();
      await expect.poll(() => page.url()).toBe(`${env.url}/sign-in`);
      await check(page, locale, 'signed out');
      await page.goto(`${env.url}/help`);
      await check(page, locale, 'help, signed out');
      // The whole walk, some forty pages through axe-core: longer than one test's default minute.
    }, 180_000);
  }
});

/**
 * The passkey and payment pages, with Chromium's virtual authenticator, at the portal's
 * `localhost` name (the relying party): a passkey added on the security page (the password asked,
 * the sign-in being over a second old), the second step offering it beside the code, a payment to
 * confirm, a wrong code, confirmed with the passkey, and one refused.
 */
async function passkeyPages(page: Page, locale: string): Promise<void> {
  const origin = localOrigin(env.url);
  const { email } = await register(env, locale);
  const { recoveryCodes, refreshToken } = await enrolTotp(env, email);
  const wallet = await fetch(`${env.system.auth.url}/v1/sessions/refresh`, {
    method: 'POST',
    headers: { 'x-api-key': 'dev-wallet-key', 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken }),
  });
  const walletToken = ((await wallet.json()) as { accessToken: string }).accessToken;
  await browser.context.addCookies([{ name: 'portal-lang', value: locale, url: origin }]);
  await addVirtualAuthenticator(page);
  const signIn = async () => {
    await page.goto(`${origin}/sign-in`);
    await page.locator('#email').fill(email);
    await page.locator('#password').fill(PASSWORD);
    await page.locator('main button[type="submit"]').first().click();
    await expect.poll(() => page.url()).toBe(`${origin}/sign-in/second-step`);
  };
  await signIn();
  await page.locator('#recoveryCode').fill(recoveryCodes[0] as string);
  await page.locator('main button[type="submit"]').click();
  await expect.poll(() => page.url()).toBe(`${origin}/account`);

  await page.goto(`${origin}/security`);
  const add = page.locator('[data-passkey="register"]');
  await expect.poll(() => add.isVisible()).toBe(true);
  await check(page, locale, 'security, no passkey');
  await page.locator('#passkey-name').fill(locale === 'en' ? 'My phone' : '我的手机');
  await page.locator('#passkey-password').fill(PASSWORD);
  await add.locator('button.passkey-button').click();
  await page.locator('ul.passkeys li').first().waitFor();
  await check(page, locale, 'security, a passkey');

  await page.goto(`${origin}/account`);
  await page.locator('main button[type="submit"]').click();
  await signIn();
  const passkey = page.locator('[data-passkey="authenticate"]');
  await expect.poll(() => passkey.isVisible()).toBe(true);
  await check(page, locale, 'second step, passkey or code');
  await passkey.locator('button.passkey-button').click();
  await expect.poll(() => page.url()).toBe(`${origin}/account`);

  const payment = {
    amountMinor: '249999',
    currency: 'EUR',
    payee: { id: 'DE89370400440532013000', kind: 'bank_account' as const, name: 'Müller Möbel GmbH' },
  };
  const first = await createConfirmation(env, walletToken, { ...payment, transactionId: `tx-a11y-${Date.now()}-1` });
  await page.goto(`${origin}/confirmations/${first}`);
  await expect.poll(() => passkey.isVisible()).toBe(true);
  await check(page, locale, 'payment confirmation');
  await page.locator('#code').fill('000000');
  await page.locator(`main form[action="/confirmations/${first}/approve"] button[type="submit"]`).click();
  await page.waitForLoadState();
  await check(page, locale, 'payment confirmation, code refused');
  await page.locator('[data-passkey="authenticate"] button.passkey-button').click();
  await page.locator('#back-to-wallet').waitFor();
  await check(page, locale, 'payment confirmed');

  const second = await createConfirmation(env, walletToken, { ...payment, transactionId: `tx-a11y-${Date.now()}-2` });
  await page.goto(`${origin}/confirmations/${second}`);
  await page.locator(`main form[action="/confirmations/${second}/refuse"] button`).click();
  await expect.poll(() => page.url()).toBe(`${origin}/confirmations/${second}`);
  await check(page, locale, 'payment refused');
}

describe('the passkey and payment confirmation pages are accessible in every language', () => {
  for (const locale of ['en', 'zh-CN'] as const) {
    it(`${locale}: the security page's passkeys, the second step with a passkey, a payment to confirm, confirmed, refused`, async () => {
      await browser.context.clearCookies();
      await passkeyPages(await browser.newPage(), locale);
    });
  }
});
