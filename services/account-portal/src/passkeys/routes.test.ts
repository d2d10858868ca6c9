import { SUPPORTED_LOCALES } from '@wallet-guard/i18n';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIRMATION_ROUTES, PAGE_PATHS, SCRIPT_PATHS } from '../route-conventions';
import { csrfOf, startTestPortal, type TestPortal } from '../testing/harness';

// The passkey pages and endpoints in front of an unreachable auth: what the portal decides on its
// own (CSRF, ceremonies kept in the session, the assets, sign-in before a confirmation). The
// ceremonies themselves run in Chromium against the real auth: tests/portal/passkeys.test.ts.

const CONFIRMATION_ID = '0b7e3f5a-2c1d-4e8f-9a6b-3c5d7e9f1a2b';
const confirmation = (path: string) => path.replace(':confirmationId', CONFIRMATION_ID);

/** A WebAuthn answer's shape (W3C `PublicKeyCredential.toJSON()`), not signed by anyone. */
const ASSERTION = JSON.stringify({
  id: 'AAAA',
  rawId: 'AAAA',
  type: 'public-key',
  response: { clientDataJSON: 'e30', authenticatorData: 'AAAA', signature: 'AAAA' },
  clientExtensionResults: {},
});

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal({ env: { PORTAL_RATE_LIMIT_PER_MINUTE: '1000' } });
});
afterAll(async () => {
  await portal?.close();
});

describe('passkeys on the portal', () => {
  it('serves the passkey script and @simplewebauthn/browser from its own origin, and every page loads the script', async () => {
    const visitor = portal.visitor();
    const script = await visitor.get('/assets/passkeys.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toContain('PublicKeyCredential');
    const library = await visitor.get('/assets/simplewebauthn-browser.js');
    expect(library.statusCode).toBe(200);
    expect(library.body).toContain('@simplewebauthn/browser@14.0.0');
    expect(library.body).toContain('SimpleWebAuthnBrowser');
    const page = await visitor.get(PAGE_PATHS.signIn);
    expect(page.body).toContain('<script src="/assets/passkeys.js" defer></script>');
  });

  it('offers the usernameless sign-in as a hidden button the script shows, in every language', async () => {
    for (const locale of SUPPORTED_LOCALES) {
      const page = await portal.visitor({ 'accept-language': locale }).get(PAGE_PATHS.signIn);
      expect(page.body).toMatch(
        new RegExp(
          `<form method="post" action="${PAGE_PATHS.passkeySignIn}"[^>]*>[\\s\\S]*data-passkey="authenticate"`,
        ),
      );
      expect(page.body).toContain(`data-passkey-options="${SCRIPT_PATHS.passkeySignInOptions}"`);
      expect(page.body).toMatch(/<div class="passkey"[^>]* hidden>/);
    }
  });

  it('refuses every new form and JSON endpoint without this session’s CSRF token', async () => {
    const forms = [
      PAGE_PATHS.passkeySignIn,
      PAGE_PATHS.passkeyAdd,
      PAGE_PATHS.passkeyRename,
      PAGE_PATHS.passkeyRemove,
      confirmation(CONFIRMATION_ROUTES.approve),
      confirmation(CONFIRMATION_ROUTES.refuse),
    ];
    for (const path of forms) {
      const visitor = portal.visitor();
      await visitor.get(PAGE_PATHS.signIn);
      const refused = await visitor.post(path, { passkeyResponse: ASSERTION, passkeyId: CONFIRMATION_ID });
      expect(refused.statusCode, path).toBe(403);
      expect(refused.headers['x-error-code'], path).toBe('PORTAL_CSRF_REJECTED');
    }
    for (const path of [
      SCRIPT_PATHS.passkeySignInOptions,
      SCRIPT_PATHS.passkeySecondStepOptions,
      SCRIPT_PATHS.passkeyRegistrationOptions,
      SCRIPT_PATHS.passkeyStepUpOptions,
      SCRIPT_PATHS.passkeyConfirmationOptions,
    ]) {
      const visitor = portal.visitor();
      await visitor.get(PAGE_PATHS.signIn);
      const refused = await visitor.postJson(path, { purpose: 'unlock', confirmationId: CONFIRMATION_ID });
      expect(refused.statusCode, path).toBe(403);
      expect(refused.json().error.code, path).toBe('PORTAL_CSRF_REJECTED');
    }
  });

  it('a passkey answer with no ceremony of this session is explained, never sent to auth', async () => {
    const visitor = portal.visitor({ 'accept-language': 'en' });
    const page = await visitor.get(PAGE_PATHS.signIn);
    const csrf = csrfOf(page.body);
    const stale = await visitor.post(PAGE_PATHS.passkeySignIn, { _csrf: csrf, passkeyResponse: ASSERTION });
    expect(stale.statusCode).toBe(400);
    expect(stale.body).toContain('That took too long');
    const broken = await visitor.post(PAGE_PATHS.passkeySignIn, { _csrf: csrf, passkeyResponse: '{"id":' });
    expect(broken.statusCode).toBe(400);
    expect(broken.body).toContain('The passkey did not work');
  });

  it('options need a signed-in session where auth needs one, and say so in the page’s language', async () => {
    const visitor = portal.visitor({ 'accept-language': 'zh-CN' });
    const csrf = csrfOf((await visitor.get(PAGE_PATHS.signIn)).body);
    const registration = await visitor.postJson(SCRIPT_PATHS.passkeyRegistrationOptions, { _csrf: csrf });
    expect(registration.statusCode).toBe(401);
    expect(registration.json().error).toEqual({
      code: 'PORTAL_SIGNED_OUT',
      message: '您已不再处于登录状态。请重新登录后再试一次。',
    });
    const secondStep = await visitor.postJson(SCRIPT_PATHS.passkeySecondStepOptions, { _csrf: csrf });
    expect(secondStep.statusCode).toBe(410);
    expect(secondStep.json().error.code).toBe('PORTAL_CEREMONY_GONE');
    const linkWithoutToken = await visitor.postJson(SCRIPT_PATHS.passkeyStepUpOptions, {
      _csrf: csrf,
      purpose: 'unlock',
    });
    expect(linkWithoutToken.statusCode).toBe(410);
    // Auth unreachable: the script hears 503 and keeps its button as it was.
    const signIn = await visitor.postJson(SCRIPT_PATHS.passkeySignInOptions, { _csrf: csrf });
    expect(signIn.statusCode).toBe(503);
    expect(signIn.json().error.code).toBe('PORTAL_UPSTREAM_UNAVAILABLE');
  });

  it('a confirmation page sends a visitor to sign in first, then back; a malformed id is a 404 page', async () => {
    const visitor = portal.visitor({ 'accept-language': 'en' });
    const opened = await visitor.get(confirmation(CONFIRMATION_ROUTES.confirmation));
    expect(opened.statusCode).toBe(303);
    expect(opened.headers.location).toBe(PAGE_PATHS.signIn);
    const signIn = await visitor.get(PAGE_PATHS.signIn);
    expect(signIn.body).toContain('Sign in to confirm your payment.');
    const unknown = await portal
      .visitor({ 'accept-language': 'zh-CN', accept: 'text/html' })
      .get('/confirmations/not-a-confirmation');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('找不到付款');
  });
});
