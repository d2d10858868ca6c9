// The account portal as a customer uses it, in headless Chromium at phone size: each journey starts
// from the e-mail the notifier really sent (a real SMTP server) and goes through the real auth,
// support-cases and notifier on Kafka. Every page on the way is checked with axe-core.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SinkMessage } from '@wallet-guard/testing';
import { noteSecretsIn, waitFor } from '@wallet-guard/testing';
import jsQR from 'jsqr';
import { generateSync } from 'otplib';
import type { Locator, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../console/browser';
import {
  api,
  enrolTotp,
  expectAccessible,
  linkIn,
  type PortalSystem,
  PASSWORD as password,
  register,
  startPortalSystem,
  submitTransactions,
} from './portal-system';
import { timeStep, totpAt } from './totp';

const PHONE = { width: 390, height: 844 };

let env: PortalSystem;
let browser: TestBrowser;
/** Every URL the browser asked for, to check no token ever travelled in a query. */
const requested: string[] = [];
/** Every secret the journeys handled: none may be in the portal's log. */
const secrets: string[] = [password];

beforeAll(async () => {
  env = await startPortalSystem();
  browser = await launchBrowser(PHONE);
  browser.context.on('request', (request) => requested.push(request.url()));
});
afterAll(async () => {
  await browser?.close();
  await env?.stop();
});

const mailTo = (email: string, has: string): Promise<SinkMessage> =>
  env.smtp.waitFor((m) => m.envelope.to.includes(email) && m.text.includes(has), 30_000);

/** The text of the first element `locator` finds, once it is there. */
async function textOf(locator: Locator): Promise<string> {
  await locator.first().waitFor();
  return (await locator.first().textContent()) ?? '';
}

/** Opens the sign-in page and signs in with the form. */
async function signIn(page: Page, email: string, pw: string): Promise<void> {
  await page.goto(`${env.url}/sign-in`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(pw);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForLoadState();
}

/** Opens an e-mail's link like a customer clicking it: the fragment is gone from the address once the page ran. */
async function openLink(page: Page, link: string, path: string): Promise<void> {
  await page.goto(link);
  await expect.poll(() => page.url()).toBe(`${env.url}${path}`);
  expect(await page.locator('input[name="token"]').inputValue()).not.toBe('');
}

describe('the account portal, from the e-mails a customer receives', () => {
  it('1. wrong passwords lock the account; the unlock e-mail opens the portal; unlocked; signed in', async () => {
    const { email } = await register(env);
    await browser.context.clearCookies();
    const page = await browser.newPage();
    for (let i = 0; i < 5; i += 1) await signIn(page, email, `wrong-password-${i}`);
    expect(await textOf(page.getByRole('alert'))).toContain('The e-mail address or password is not right');
    expect(await textOf(page.getByRole('alert'))).toContain('e-mail its owner a link to unlock it');
    await expectAccessible(page, 'sign-in refused');
    // Locked: the right password gets the same words.
    await signIn(page, email, password);
    expect(await textOf(page.getByRole('alert'))).toContain('The e-mail address or password is not right');

    const mail = await mailTo(email, '/unlock#token=');
    const link = linkIn(mail, env.url, '/unlock');
    secrets.push(link.split('#token=')[1] as string);
    await openLink(page, link, '/unlock');
    await expectAccessible(page, 'unlock');
    await page.getByRole('button', { name: 'Unlock my account' }).click();
    expect(await textOf(page.getByRole('status'))).toContain('Your account is unlocked');
    await expectAccessible(page, 'unlocked');

    await page.getByRole('link', { name: 'Sign in' }).click();
    await signIn(page, email, password);
    await expect.poll(() => page.url()).toBe(`${env.url}/account`);
    expect(await textOf(page.locator('dl.who dd'))).toBe(email);
    await expectAccessible(page, 'account');
  });

  it('2. forgot password -> e-mail -> new password with the second factor -> signed in; the old sessions are gone', async () => {
    const { email } = await register(env);
    const { secret, recoveryCodes, refreshToken } = await enrolTotp(env, email);
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${env.url}/sign-in`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await expectAccessible(page, 'forgot password');
    await page.getByLabel('E-mail address').fill(email);
    await page.getByRole('button', { name: 'E-mail me a link' }).click();
    expect(await textOf(page.getByRole('status'))).toContain('If an account uses this address');

    const mail = await mailTo(email, '/reset-password#token=');
    const link = linkIn(mail, env.url, '/reset-password');
    secrets.push(link.split('#token=')[1] as string);
    await openLink(page, link, '/reset-password');
    await expectAccessible(page, 'reset password');
    const newPassword = `Harbour-${randomUUID().slice(0, 8)}-velvet-kite`;
    secrets.push(newPassword);
    // First a common password: the policy's reason, in words, and the link still works.
    await page.getByLabel('New password').fill('password1234');
    // The code of the next time step: the enrolment used this one, and auth allows one step of drift.
    await page
      .getByLabel('Code from your authenticator app')
      .fill(generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await page.getByRole('button', { name: 'Save my new password' }).click();
    expect(await textOf(page.getByRole('alert'))).toContain('in a list of common passwords');
    await expectAccessible(page, 'reset refused');
    // The form page has no token in its address, so the field came from this tab's storage.
    expect(await page.locator('input[name="token"]').inputValue()).not.toBe('');
    await page.getByLabel('New password').fill(newPassword);
    await page.getByLabel('Code from your authenticator app').fill('');
    await page.getByLabel('Or one of your recovery codes').fill(recoveryCodes[0] as string);
    await page.getByRole('button', { name: 'Save my new password' }).click();
    expect(await textOf(page.getByRole('status'))).toContain('Your password is changed');

    // The session that existed before the reset is gone.
    const old = await api(env.system.auth.url, 'POST', '/v1/sessions/refresh', { refreshToken });
    expect(old.status).toBe(401);

    await page.getByRole('link', { name: 'Sign in' }).click();
    await signIn(page, email, newPassword);
    await expect.poll(() => page.url()).toBe(`${env.url}/sign-in/second-step`);
    await expectAccessible(page, 'second step');
    await page.getByLabel('Or one of your recovery codes').fill(recoveryCodes[1] as string);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.url()).toBe(`${env.url}/account`);
    expect(await textOf(page.locator('dl.who dd'))).toBe(email);
  });

  it('3. turn on two-step verification by scanning the QR code, keep the recovery codes, sign out, sign in with a code', async () => {
    const { email } = await register(env);
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await signIn(page, email, password);
    await expect.poll(() => page.url()).toBe(`${env.url}/account`);
    await page.getByRole('link', { name: 'Security: two-step verification' }).click();
    await expect.poll(() => page.url()).toBe(`${env.url}/security`);
    expect(await textOf(page.getByRole('main'))).toContain('Two-step verification is off');
    await expectAccessible(page, 'security, two-step off');
    // Signed in a moment ago: auth does not ask for the password again.
    await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
    await page.locator('#qr-code').waitFor();
    await expectAccessible(page, 'enrolment');

    // Scan the QR code like a phone would: a screenshot of the image, decoded, the secret read from the URI.
    const shot = PNG.sync.read(await page.locator('#qr-code').screenshot());
    const scanned = jsQR(new Uint8ClampedArray(shot.data), shot.width, shot.height);
    const uri = new URL(scanned?.data ?? 'missing:');
    expect(uri.protocol).toBe('otpauth:');
    expect(decodeURIComponent(uri.pathname)).toContain(email);
    const secret = uri.searchParams.get('secret') ?? '';
    secrets.push(secret);
    // The text for typing is the same secret, in groups of four.
    expect((await textOf(page.locator('#secret'))).replace(/\s/g, '')).toBe(secret);
    // Codes computed here from the RFC, not with the otplib auth uses.
    const confirmStep = timeStep();
    // The 6-digit codes are not added to `secrets`: six digits turn up by chance in log timestamps.
    const code = totpAt(secret, confirmStep);
    await page.getByLabel('Code from your authenticator app').fill(code);
    await page.getByRole('button', { name: 'Turn it on' }).click();
    expect(await textOf(page.getByRole('status'))).toContain('Two-step verification is on');
    const codes = await page.locator('#recovery-codes li').allTextContents();
    expect(codes).toHaveLength(10);
    secrets.push(...codes);
    noteSecretsIn({ secret, recoveryCodes: codes });
    await expectAccessible(page, 'recovery codes');

    // Download: a text file with the codes, from what this page posted (the portal keeps none).
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download as a text file' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('recovery-codes.txt');
    const file = readFileSync(await download.path(), 'utf8');
    for (const recovery of codes) expect(file).toContain(recovery);
    // Print: the script shows the button; the print stylesheet keeps the codes and drops the rest.
    await expect.poll(() => page.getByRole('button', { name: 'Print' }).isVisible()).toBe(true);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#recovery-codes').isVisible()).toBe(true);
    expect(await page.locator('header').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Download as a text file' }).isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });

    await page.getByRole('link', { name: 'I have kept them: back to security' }).click();
    expect(await textOf(page.getByRole('main'))).toContain('Two-step verification is on');
    expect(await textOf(page.getByRole('main'))).toContain('Unused recovery codes: 10');
    await expectAccessible(page, 'security, two-step on');

    await page.goto(`${env.url}/account`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await textOf(page.getByRole('status'))).toContain('You are signed out');
    await signIn(page, email, password);
    await expect.poll(() => page.url()).toBe(`${env.url}/sign-in/second-step`);
    // A step after the one the enrolment used (auth refuses a code's step twice, and allows one step of drift).
    const next = totpAt(secret, Math.max(timeStep(), confirmStep + 1));
    await page.getByLabel('Code from your authenticator app').fill(next);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.url()).toBe(`${env.url}/account`);
    expect(await textOf(page.locator('dl.who dd'))).toBe(email);
  });

  it('4. a sign-in from a new device -> "was this you?" -> this wasn\'t me -> frozen -> an agent sees the P1 case', async () => {
    const { email, accountId } = await register(env);
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await signIn(page, email, password);
    await expect.poll(() => page.url()).toBe(`${env.url}/account`);

    const mail = await mailTo(email, '/freeze#token=');
    const link = linkIn(mail, env.url, '/freeze');
    secrets.push(link.split('#token=')[1] as string);
    await openLink(page, link, '/freeze');
    await expectAccessible(page, 'freeze');
    await page.getByRole('button', { name: 'Freeze my account' }).click();
    expect(await textOf(page.getByRole('status'))).toContain('nobody can sign in');
    expect(await textOf(page.getByRole('main'))).toContain('Our security team has been alerted');
    await expectAccessible(page, 'frozen');

    // Frozen: this browser's session ended with the others.
    await page.goto(`${env.url}/account`);
    await expect.poll(() => page.url()).toBe(`${env.url}/sign-in`);

    const token = await env.system.agentToken('ada');
    const agent = { authorization: `Bearer ${token}` };
    const found = await waitFor(
      async () => {
        const cases = await api(env.system.cases.url, 'GET', `/v1/cases?accountId=${accountId}`, undefined, agent);
        return (cases.body.items as { priority: string; type: string }[]).find((c) => c.priority === 'P1');
      },
      { what: 'the P1 case of the freeze', timeoutMs: 30_000 },
    );
    expect(found.priority).toBe('P1');
  });

  it('5. a complaint filed in zh-CN -> an agent replies publicly -> seen in the portal and by e-mail -> answered in the portal -> the agent sees the answer', async () => {
    const { email, accountId } = await register(env, 'zh-CN');
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${env.url}/sign-in`);
    await page.locator('.languages button[value="zh-CN"]').click();
    await page.waitForLoadState();
    await page.locator('#email').fill(email);
    await page.locator('#password').fill(password);
    await page.locator('main button[type="submit"]').click();
    await expect.poll(() => page.url()).toBe(`${env.url}/account`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');

    await page.getByRole('link', { name: '帮助与联系客服' }).click();
    expect(await textOf(page.locator('main h2'))).toBe('保护您的账户安全');
    await expectAccessible(page, 'help');
    await page.getByRole('link', { name: '您的请求' }).click();
    await page.getByLabel('投诉').check();
    await page.getByLabel('您的消息').fill('我的转账已经三天没有到账了。');
    await page.getByRole('button', { name: '发送我的请求' }).click();
    await expect.poll(() => page.url()).toMatch(/\/cases\/CASE-\d{6,}$/);
    const caseNumber = page.url().split('/').pop() as string;
    expect(await textOf(page.locator('.case-status'))).toBe('已收到');
    await expectAccessible(page, 'complaint filed');

    // The agent answers publicly and waits for the customer.
    const agent = { authorization: `Bearer ${await env.system.agentToken('ada')}`, 'content-type': 'application/json' };
    const listed = await api(env.system.cases.url, 'GET', `/v1/cases?accountId=${accountId}`, undefined, agent);
    const caseId = (listed.body.items as { id: string; number: string }[])[0]?.id as string;
    const reply = '我们正在核查，请问您是哪一天转账的？';
    expect(
      (
        await api(
          env.system.cases.url,
          'POST',
          `/v1/cases/${caseId}/notes`,
          { body: reply, visibility: 'public' },
          agent,
        )
      ).status,
    ).toBe(200);
    expect(
      (await api(env.system.cases.url, 'POST', `/v1/cases/${caseId}/status`, { status: 'pending_customer' }, agent))
        .status,
    ).toBe(200);

    // By e-mail, in Chinese, with the link to the request's page; the page shows the reply.
    const mail = await mailTo(email, reply);
    const link = `${env.url}/cases/${caseNumber}`;
    expect(mail.text).toContain(link);
    await page.goto(link);
    expect(await textOf(page.locator('ol.messages li.support .body'))).toBe(reply);
    expect(await textOf(page.locator('.case-status'))).toBe('等待您回复');
    await expectAccessible(page, 'reply seen');

    await page.getByLabel('您给客服的消息').fill('是 11 月 25 日。');
    await page.getByRole('button', { name: '发送我的回复' }).click();
    await page.locator('ol.messages li.customer').nth(1).waitFor();
    expect(await textOf(page.locator('.case-status'))).toBe('客服正在处理');

    // The agent sees the answer on the case's timeline, and the case back at work.
    const detail = await api(env.system.cases.url, 'GET', `/v1/cases/${caseId}`, undefined, agent);
    expect(detail.body.case.status).toBe('open');
    const notes = (detail.body.timeline as { actor: string; kind: string; body: string | null }[]).filter(
      (e) => e.kind === 'note',
    );
    expect(notes.map((n) => [n.actor, n.body])).toEqual([
      ['customer', '我的转账已经三天没有到账了。'],
      ['agent:ada', reply],
      ['customer', '是 11 月 25 日。'],
    ]);
  });

  it('5b. a dispute: the transaction the wallet sent to the monitor is in the form, ticked with the keyboard -> the agent sees it on the case', async () => {
    const { email, accountId } = await register(env);
    const transactionId = `tx-${randomUUID()}`;
    const occurredAt = new Date(Date.now() - 5 * 60_000).toISOString();
    await submitTransactions(env, [
      {
        transactionId,
        accountId,
        type: 'payment',
        amountMinor: '4999',
        currency: 'EUR',
        counterparty: { id: 'gift-cards-online', kind: 'merchant' },
        occurredAt,
      },
    ]);
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${env.url}/sign-in`);
    await page.locator('#email').fill(email);
    await page.locator('#password').fill(password);
    await page.locator('main button[type="submit"]').click();
    await expect.poll(() => page.url()).toBe(`${env.url}/account`);
    await page.goto(`${env.url}/cases`);
    await page.getByLabel('A transaction I dispute').check();
    await page.getByLabel('Your message').fill('I never bought gift cards.');
    // The list names it as the customer knows it: what, to whom, how much, when.
    const choice = page.getByRole('checkbox', { name: /Payment to gift-cards-online \(merchant\) -€49\.99/ });
    const when = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(
      new Date(occurredAt),
    );
    expect(await textOf(page.locator(`label[for="${await choice.getAttribute('id')}"]`))).toContain(when);
    await expectAccessible(page, 'dispute form with recent transactions');
    await choice.focus();
    await page.keyboard.press('Space');
    expect(await choice.isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Send my request' }).click();
    await expect.poll(() => page.url()).toMatch(/\/cases\/CASE-\d{6,}$/);

    const agent = { authorization: `Bearer ${await env.system.agentToken('ada')}`, 'content-type': 'application/json' };
    const listed = await api(env.system.cases.url, 'GET', `/v1/cases?accountId=${accountId}`, undefined, agent);
    const caseId = (listed.body.items as { id: string }[])[0]?.id as string;
    const detail = await api(env.system.cases.url, 'GET', `/v1/cases/${caseId}`, undefined, agent);
    expect(detail.body.case.type).toBe('transaction_dispute');
    expect(detail.body.evidence).toEqual([{ kind: 'transaction', ref: transactionId }]);
  });

  it('refuses a form without the CSRF token, and a session cookie replayed after sign-out', async () => {
    const { email } = await register(env);
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${env.url}/sign-in`);
    await page.locator('main form[action="/sign-in"] input[name="_csrf"]').evaluate((input) => input.remove());
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    expect(await textOf(page.getByRole('alert'))).toContain('This form has expired');

    await signIn(page, email, password);
    await expect.poll(() => page.url()).toBe(`${env.url}/account`);
    const signedIn = (await browser.context.cookies(env.url)).find((c) => c.name === 'portal-session');
    expect(signedIn).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await textOf(page.getByRole('status'))).toContain('You are signed out');

    // The cookie from before sign-out, put back: auth ended its session, so the portal refuses it.
    await browser.context.addCookies([{ ...(signedIn as NonNullable<typeof signedIn>) }]);
    await page.goto(`${env.url}/account`);
    await expect.poll(() => page.url()).toBe(`${env.url}/sign-in`);
    expect(await textOf(page.getByRole('status'))).toContain('Your session has ended');
  });

  it("no token ever travelled in a URL query, and none is in the portal's log", () => {
    expect(requested.length).toBeGreaterThan(0);
    for (const url of requested) {
      const { search } = new URL(url);
      expect(search, url).not.toMatch(/token/i);
      for (const secret of secrets) expect(url).not.toContain(secret);
    }
    expect(env.portal.logs.lines.length).toBeGreaterThan(0);
    expect(env.portal.logs.leaked(secrets)).toEqual([]);
    // Refusals are pages with their status (401 wrong password, 403 CSRF...): Chromium logs those.
    const intended = /Failed to load resource: the server responded with a status of 4(01|03|10|22|29)/;
    expect(browser.errors.filter((e) => !intended.test(e))).toEqual([]);
  });
});
