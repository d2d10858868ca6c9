// Passkeys and payment confirmation through the portal, in headless Chromium with its own WebAuthn
// implementation and a DevTools virtual authenticator (CTAP2, internal transport, resident keys,
// user verification), against the whole system (real Postgres, Kafka, SMTP): register a passkey
// on the security page, sign in with it without a username and as the second step, change the
// password with it, finish unlock and reset links and turn the authenticator app off with it,
// confirm a payment and check the token it gives the wallet (signature against auth's JWKS, the
// claims that bind the payment, a changed amount refused), and a copied passkey with a lower
// signature counter refused at sign-in and recorded.
import { randomUUID } from 'node:crypto';
import { CONFIRMATION_TOKEN_AUDIENCE, CONFIRMATION_TOKEN_TYPE, payeeHash } from '@wallet-guard/contracts';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../console/browser';
import {
  api,
  enrolTotp,
  expectAccessible,
  linkIn,
  PASSWORD,
  type PortalSystem,
  register,
  startPortalSystem,
} from './portal-system';
import {
  addVirtualAuthenticator,
  collectConfirmationToken,
  createConfirmation,
  localOrigin,
  type Payment,
  walletSession,
  webauthnEnv,
} from './virtual-authenticator';

let env: PortalSystem;
let browser: TestBrowser;
/** The portal as the browser opens it: `localhost`, the relying party passkeys are bound to. */
let origin: string;
beforeAll(async () => {
  // A one-second recent-sign-in window: adding a passkey, and removing the last one, ask for the password.
  env = await startPortalSystem((url) => ({ AUTH_RECENT_SIGN_IN_SECONDS: '1', ...webauthnEnv(url) }));
  origin = localOrigin(env.url);
  browser = await launchBrowser({ width: 390, height: 844 });
});
afterAll(async () => {
  await browser?.close();
  await env?.stop();
});

const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? '').trim();

async function signInWithPassword(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto(`${origin}/sign-in`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForLoadState();
}

async function signOut(page: Page): Promise<void> {
  await page.goto(`${origin}/account`);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect.poll(() => page.url()).toBe(`${origin}/sign-in`);
}

/** Adds a passkey named `name` on the security page, with the password (auth's recent-sign-in window is a second). */
async function addPasskey(page: Page, name: string): Promise<void> {
  await page.goto(`${origin}/security`);
  // Shown by passkeys.js only because this browser has WebAuthn.
  await expect.poll(() => page.locator('[data-passkey="register"]').isVisible()).toBe(true);
  await page.locator('#passkey-name').fill(name);
  await page.locator('#passkey-password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await expect.poll(() => text(page, 'main [role="status"]')).toContain('Your passkey is added');
  expect(page.url()).toBe(`${origin}/security`);
}

/** Presses the usernameless sign-in's button on the sign-in page. */
async function signInWithPasskey(page: Page): Promise<void> {
  await page.goto(`${origin}/sign-in`);
  const button = page.getByRole('button', { name: 'Sign in with a passkey' });
  await expect.poll(() => button.isVisible()).toBe(true);
  await button.click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}

describe('passkeys on the portal, with Chromium’s virtual authenticator', () => {
  it('registers a passkey on the security page (the password asked once the sign-in is not recent), signs in with it without a username and as the second step, changes the password with it, renames and removes it', async () => {
    const { email } = await register(env);
    await browser.context.clearCookies();
    const page = await browser.newPage();
    const authenticator = await addVirtualAuthenticator(page);
    await signInWithPassword(page, email);
    await expect.poll(() => page.url()).toBe(`${origin}/account`);

    // Without the password, once the sign-in is over a second old: the page says what to do, in words.
    await page.goto(`${origin}/security`);
    await page.waitForTimeout(1_100);
    await expect.poll(() => page.locator('[data-passkey="register"]').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await expect
      .poll(() => text(page, '[data-passkey="register"] [role="alert"]'))
      .toContain('For your safety, enter your password first');
    expect(await authenticator.credentials()).toEqual([]);
    await addPasskey(page, 'Work laptop');
    const listed = page.locator('ul.passkeys li');
    expect(await listed.count()).toBe(1);
    expect(await text(page, 'ul.passkeys li .device')).toBe('Work laptop');
    // The virtual authenticator keeps its keys to itself (not backup eligible): device-bound.
    expect(await text(page, 'ul.passkeys li .hint')).toContain('Only on the device that made it');
    expect(await text(page, 'ul.passkeys li .hint')).toContain('Not used yet');
    const [credential] = await authenticator.credentials();
    expect(credential?.isResidentCredential).toBe(true);
    expect(credential?.rpId).toBe('localhost');
    await expectAccessible(page, 'security with a passkey');

    // Usernameless: nothing typed, the browser offers the discoverable credential.
    await signOut(page);
    await signInWithPasskey(page);
    expect(page.url()).toBe(`${origin}/account`);
    expect(await text(page, 'dl.who dd')).toBe(email);

    // The password alone is no longer enough: auth's second step offers the passkey (the only factor).
    await signOut(page);
    await signInWithPassword(page, email);
    await expect.poll(() => page.url()).toBe(`${origin}/sign-in/second-step`);
    expect(await page.locator('#code').count(), 'no authenticator app: no code field').toBe(0);
    await expectAccessible(page, 'second step with a passkey');
    await page.getByRole('button', { name: 'Use my passkey' }).click();
    await expect.poll(() => page.url()).toBe(`${origin}/account`);

    // The password change takes the passkey as its second factor.
    await page.goto(`${origin}/security`);
    expect(await text(page, 'ul.passkeys li .hint')).toContain('Last used');
    const newPassword = 'Harbour-velvet-kite-lantern-42';
    await page.locator('#current-password').fill(PASSWORD);
    await page.locator('#newPassword').fill(newPassword);
    await page.getByRole('button', { name: 'Change the password with a passkey' }).click();
    await expect.poll(() => text(page, 'main [role="status"]')).toContain('Your password is changed');
    await signOut(page);
    await signInWithPassword(page, email, newPassword);
    await expect.poll(() => page.url()).toBe(`${origin}/sign-in/second-step`);

    // Rename, then remove: the last strong factor, so auth wants a recent sign-in and the page asks the password.
    await page.getByRole('button', { name: 'Use my passkey' }).click();
    await expect.poll(() => page.url()).toBe(`${origin}/account`);
    await page.goto(`${origin}/security`);
    await page.locator('ul.passkeys li input[name="name"]').fill('Old laptop');
    await page.getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => text(page, 'main [role="status"]')).toContain('The passkey is renamed');
    expect(await text(page, 'ul.passkeys li .device')).toBe('Old laptop');
    await page.waitForTimeout(1_100);
    await page.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => page.url()).toBe(`${origin}/security/passkeys/remove`);
    await expectAccessible(page, 'removing the last passkey: the password asked');
    await page.locator('#password').fill(newPassword);
    await page.getByRole('button', { name: 'Remove the passkey' }).click();
    await expect.poll(() => text(page, 'main [role="status"]')).toContain('The passkey is removed');
    expect(await listed.count()).toBe(0);
    // Removed at auth: the authenticator still holds it, and it signs no one in.
    await signOut(page);
    await signInWithPasskey(page);
    expect(await text(page, 'main [role="alert"]')).toContain('That passkey was not accepted');
  });

  it('confirms a payment with the passkey: a token bound to the payment, refused when the amount is changed', async () => {
    const { email, accountId } = await register(env);
    // The wallet's own session, from before the passkey (a password alone signed in then).
    const walletToken = await walletSession(env, email);
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await addVirtualAuthenticator(page);
    await signInWithPassword(page, email);
    await addPasskey(page, 'Phone');

    const payment: Payment = {
      transactionId: `tx-${randomUUID()}`,
      amountMinor: '1234567',
      currency: 'EUR',
      payee: { id: 'DE89370400440532013000', kind: 'bank_account', name: 'Müller Möbel GmbH' },
    };
    const confirmationId = await createConfirmation(env, walletToken, payment);
    // Opened signed out (the wallet's link): sign in first, then straight back to the payment.
    await signOut(page);
    await page.goto(`${origin}/confirmations/${confirmationId}`);
    expect(page.url()).toBe(`${origin}/sign-in`);
    expect(await text(page, 'main [role="status"]')).toBe('Sign in to confirm your payment.');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect.poll(() => page.url()).toBe(`${origin}/confirmations/${confirmationId}`);
    const opened = await page.reload();
    expect(opened?.status()).toBe(200);
    expect(await text(page, '#amount')).toBe('€12,345.67');
    expect(await text(page, '#currency')).toBe('Euro (EUR)');
    expect(await text(page, '#payee')).toBe('Müller Möbel GmbH');
    expect(await text(page, '#payee-kind')).toBe('Bank account');
    await expectAccessible(page, 'payment to confirm');

    await page.getByRole('button', { name: 'Confirm with my passkey' }).click();
    await page.locator('#back-to-wallet').waitFor();
    expect(await text(page, 'main [role="status"]')).toContain('You confirmed this payment');
    // Posted, answered in the page: never in a URL; and the token is not in the page either.
    expect(page.url()).toBe(`${origin}/confirmations/${confirmationId}/approve`);
    expect(await page.content()).not.toMatch(/eyJ[\w-]+\.eyJ/);
    await expectAccessible(page, 'payment confirmed');
    // The wallet collects it from auth with its key and its own session of this customer.
    const token = await collectConfirmationToken(env, walletToken, confirmationId);

    // Signed by auth (its JWKS), typed, for payment confirmation, binding this very payment.
    const jwks = createRemoteJWKSet(new URL(`${env.system.auth.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      audience: CONFIRMATION_TOKEN_AUDIENCE,
      typ: CONFIRMATION_TOKEN_TYPE,
    });
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(payload).toMatchObject({
      sub: accountId,
      jti: confirmationId,
      txn: payment.transactionId,
      amt: payment.amountMinor,
      cur: payment.currency,
      payee_hash: payeeHash(payment.payee),
      acr: 'urn:wallet-guard:acr:aal2:phishing-resistant',
    });
    // RFC 8176: a device-bound key with user verification.
    expect(payload.amr).toEqual(expect.arrayContaining(['hwk', 'user']));
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeLessThanOrEqual(120);

    const redeem = (amountMinor: string) =>
      api(env.system.auth.url, 'POST', '/v1/confirmations/redeem', {
        confirmationToken: token,
        transactionId: payment.transactionId,
        amountMinor,
        currency: payment.currency,
        payee: { id: payment.payee.id, kind: payment.payee.kind },
      });
    const tampered = await redeem('1234568');
    expect(tampered.status).toBe(422);
    expect(tampered.body.error.code).toBe('AUTH_CONFIRMATION_MISMATCH');
    const redeemed = await redeem(payment.amountMinor);
    expect(redeemed.status).toBe(200);
    expect(redeemed.body).toMatchObject({
      accountId,
      confirmationId,
      acr: 'urn:wallet-guard:acr:aal2:phishing-resistant',
    });
    expect((await redeem(payment.amountMinor)).status).toBe(409);
    await page.goto(`${origin}/confirmations/${confirmationId}`);
    expect(await text(page, 'main [role="status"]')).toContain('your wallet has used the confirmation');

    // Refused: said in words, and the confirmation cannot be approved afterwards.
    const refusedId = await createConfirmation(env, walletToken, { ...payment, transactionId: `tx-${randomUUID()}` });
    await page.goto(`${origin}/confirmations/${refusedId}`);
    await page.getByRole('button', { name: 'Refuse this payment' }).click();
    await expect.poll(() => page.url()).toBe(`${origin}/confirmations/${refusedId}`);
    expect(await text(page, 'main [role="alert"]')).toContain('You refused this payment');
    expect(await page.getByRole('button', { name: 'Confirm with my passkey' }).count()).toBe(0);
    await expectAccessible(page, 'payment refused');

    // Another account's confirmation: the 404 page, nothing of the payment shown.
    const other = await register(env);
    const { refreshToken } = await enrolTotp(env, other.email);
    const refreshed = await api(env.system.auth.url, 'POST', '/v1/sessions/refresh', { refreshToken });
    expect(refreshed.status).toBe(200);
    const foreignId = await createConfirmation(env, refreshed.body.accessToken, {
      ...payment,
      transactionId: `tx-${randomUUID()}`,
      payee: { id: 'wallet-of-someone-else', kind: 'wallet', name: 'Someone Else' },
    });
    const foreign = await page.goto(`${origin}/confirmations/${foreignId}`);
    expect(foreign?.status()).toBe(404);
    expect(await text(page, 'main')).toContain('We cannot find this payment for your account');
    expect(await page.content()).not.toContain('Someone Else');
  });

  it('a copy of the passkey with a lower signature counter is refused at sign-in, recorded as passkey.counter_regressed, and opens a P1 case', async () => {
    const { email, accountId } = await register(env);
    const walletToken = await walletSession(env, email);
    await browser.context.clearCookies();
    const page = await browser.newPage();
    const original = await addVirtualAuthenticator(page);
    await signInWithPassword(page, email);
    await addPasskey(page, 'Original');
    // Two sign-ins move the stored counter on (each assertion adds one).
    for (let i = 0; i < 2; i += 1) {
      await signOut(page);
      await signInWithPasskey(page);
      expect(page.url()).toBe(`${origin}/account`);
    }
    await signOut(page);
    const [credential] = await original.credentials();
    if (!credential) throw new Error('the original authenticator holds no credential');
    expect(credential.signCount).toBeGreaterThanOrEqual(2);

    // A second authenticator loaded with the same private key, its counter behind the original's.
    const clonePage = await browser.context.newPage();
    const clone = await addVirtualAuthenticator(clonePage);
    await clone.addCredential({ ...credential, signCount: 0 });
    await signInWithPasskey(clonePage);
    expect(clonePage.url()).toBe(`${origin}/sign-in/passkey`);
    expect(await text(clonePage, 'main [role="alert"]')).toContain('That passkey was not accepted');
    await clonePage.close();

    const events = await api(env.system.auth.url, 'GET', '/v1/accounts/me/security-events?limit=50', undefined, {
      'x-api-key': 'dev-wallet-key',
      authorization: `Bearer ${walletToken}`,
    });
    expect(events.status).toBe(200);
    const regressed = (events.body.items as { type: string; payload: Record<string, unknown> }[]).find(
      (event) => event.type === 'passkey.counter_regressed',
    );
    expect(regressed, 'a passkey.counter_regressed event').toBeDefined();
    expect(regressed?.payload.storedCounter).toBe(credential.signCount);
    expect(regressed?.payload.presentedCounter as number).toBeLessThan(credential.signCount);

    // support-cases reads the event from Kafka and opens the cloned-authenticator case for agents.
    const agentToken = await env.system.agentToken('ada');
    const casesOfAccount = async () =>
      (
        await api(env.system.cases.url, 'GET', `/v1/cases?accountId=${accountId}`, undefined, {
          authorization: `Bearer ${agentToken}`,
        })
      ).body.items as { type: string; priority: string }[];
    await expect
      .poll(async () => (await casesOfAccount()).find((c) => c.type === 'cloned_authenticator_suspected'), {
        timeout: 30_000,
      })
      .toMatchObject({ priority: 'P1' });
  });

  it('unlocks a locked account from the e-mail link with the passkey (asked for with the link’s token)', async () => {
    const { email } = await register(env);
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await addVirtualAuthenticator(page);
    await signInWithPassword(page, email);
    await addPasskey(page, 'Phone');
    await signOut(page);
    for (let i = 0; i < 5; i += 1) await signInWithPassword(page, email, `wrong-password-${i}`);
    const mail = await env.smtp.waitFor(
      (m) => m.envelope.to.includes(email) && m.text.includes('/unlock#token='),
      30_000,
    );
    // The notifier links to the portal by its address; passkeys need its `localhost` name.
    await page.goto(linkIn(mail, env.url, '/unlock').replace(env.url, origin));
    await expect.poll(() => page.url()).toBe(`${origin}/unlock`);
    const button = page.getByRole('button', { name: 'Unlock with a passkey' });
    await expect.poll(() => button.isVisible()).toBe(true);
    await expectAccessible(page, 'unlock with a passkey');
    await button.click();
    await expect.poll(() => text(page, 'main [role="status"]')).toContain('Your account is unlocked');
    await signInWithPasskey(page);
    expect(page.url()).toBe(`${origin}/account`);
  });

  it('resets a forgotten password and turns the authenticator app off with the passkey instead of a code', async () => {
    const { email } = await register(env);
    const { recoveryCodes } = await enrolTotp(env, email);
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await addVirtualAuthenticator(page);
    await signInWithPassword(page, email);
    await expect.poll(() => page.url()).toBe(`${origin}/sign-in/second-step`);
    await page.locator('#recoveryCode').fill(recoveryCodes[0] as string);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.url()).toBe(`${origin}/account`);
    await addPasskey(page, 'Phone');
    await signOut(page);

    await page.goto(`${origin}/forgot-password`);
    await page.locator('#email').fill(email);
    await page.getByRole('button', { name: 'E-mail me a link' }).click();
    const mail = await env.smtp.waitFor(
      (m) => m.envelope.to.includes(email) && m.text.includes('/reset-password#token='),
      30_000,
    );
    await page.goto(linkIn(mail, env.url, '/reset-password').replace(env.url, origin));
    const withPasskey = page.getByRole('button', { name: 'Set the new password with a passkey' });
    await expect.poll(() => withPasskey.isVisible()).toBe(true);
    const newPassword = 'Lantern-harbour-velvet-kite-77';
    await page.locator('#newPassword').fill(newPassword);
    await withPasskey.click();
    await expect.poll(() => text(page, 'main [role="status"]')).toContain('Your password is changed');

    await signInWithPassword(page, email, newPassword);
    await expect.poll(() => page.url()).toBe(`${origin}/sign-in/second-step`);
    // Both ways offered: the passkey, and a code from the app (or a recovery code).
    expect(await page.locator('#code').count()).toBe(1);
    await page.getByRole('button', { name: 'Use my passkey' }).click();
    await expect.poll(() => page.url()).toBe(`${origin}/account`);

    await page.goto(`${origin}/security`);
    await page.locator('#off-password').fill(newPassword);
    await page.getByRole('button', { name: 'Turn off with a passkey' }).click();
    await expect.poll(() => text(page, 'main [role="status"]')).toContain('Two-step verification is off');
    // The passkey stays, and is still asked for after the password.
    expect(await text(page, 'ul.passkeys li .device')).toBe('Phone');
  });

  it('refuses the passkey forms and script endpoints without this session’s CSRF token', async () => {
    const { email } = await register(env);
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await signInWithPassword(page, email);
    await expect.poll(() => page.url()).toBe(`${origin}/account`);
    const id = randomUUID();
    const forms = [
      '/sign-in/passkey',
      '/security/passkeys',
      '/security/passkeys/rename',
      '/security/passkeys/remove',
      `/confirmations/${id}/approve`,
      `/confirmations/${id}/refuse`,
    ];
    for (const path of forms) {
      const status = await page.evaluate(
        async (target) =>
          (
            await fetch(target, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: `passkeyId=${encodeURIComponent(crypto.randomUUID())}&name=x&passkeyResponse=%7B%7D`,
            })
          ).status,
        path,
      );
      expect(status, path).toBe(403);
    }
    const scripts = [
      '/passkey-options/sign-in',
      '/passkey-options/registration',
      '/passkey-options/step-up',
      '/passkey-options/confirmation',
    ];
    for (const path of scripts) {
      const answer = await page.evaluate(
        async ({ target, confirmationId }) => {
          const response = await fetch(target, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ purpose: 'password_change', confirmationId }),
          });
          return { status: response.status, body: (await response.json()) as { error: { code: string } } };
        },
        { target: path, confirmationId: id },
      );
      expect(answer.status, path).toBe(403);
      expect(answer.body.error.code, path).toBe('PORTAL_CSRF_REJECTED');
    }
  });
});
