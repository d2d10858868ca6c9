import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, latestToken, startAuth } from '../testing/harness';
import {
  base32Decode,
  enrolledUser,
  mfaTokenFor,
  nextCode,
  secondStep,
  totpAt,
  wrongCode,
} from '../testing/two-factor';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth({
    env: { AUTH_TOTP_ISSUER: 'Acme Wallet', AUTH_TOTP_LABEL: 'Acme ({email})', AUTH_TOTP_ENROLMENT_TTL_SECONDS: '120' },
  });
});
afterAll(() => auth.close());

const signedIn = async () => {
  const account = await auth.register();
  const { accessToken } = (await auth.signIn(account.email, account.password)).json();
  return { ...account, accessToken: accessToken as string };
};
const enrol = (accessToken: string) => auth.wallet({ method: 'POST', url: '/v1/accounts/me/totp' }, accessToken);
const confirm = (accessToken: string, code: string) =>
  auth.wallet({ method: 'POST', url: '/v1/accounts/me/totp/confirm', payload: { code } }, accessToken);
const status = async (accessToken: string) =>
  (await auth.wallet({ method: 'GET', url: '/v1/accounts/me/totp' }, accessToken)).json();

/** Every column of the account's two-factor rows as Postgres prints them. */
const rawRows = async (accountId: string) => {
  const tables = ['auth_totp', 'auth_recovery_codes'] as const;
  const rows = await Promise.all(
    tables.map((t) => auth.db.db.selectFrom(t).selectAll().where('account_id', '=', accountId).execute()),
  );
  return JSON.stringify(rows);
};

describe('enrolment', () => {
  it('shows a 160-bit base32 secret, its otpauth URI, and QR codes (SVG, PNG) that decode to the URI', async () => {
    const { email, accessToken } = await signedIn();
    const res = await enrol(accessToken);
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['otpauthUri', 'qrCodePngDataUrl', 'qrCodeSvg', 'secret']);
    expect(body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(body.secret)).toHaveLength(20);
    const uri = new URL(body.otpauthUri);
    expect(decodeURIComponent(uri.pathname)).toBe(`/Acme Wallet:Acme (${email})`);
    expect(uri.searchParams.get('secret')).toBe(body.secret);
    expect(uri.searchParams.get('issuer')).toBe('Acme Wallet');

    expect(body.qrCodePngDataUrl).toMatch(/^data:image\/png;base64,/);
    const png = PNG.sync.read(Buffer.from(body.qrCodePngDataUrl.split(',')[1], 'base64'));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(body.otpauthUri);
    expect(body.qrCodeSvg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\s*$/);
  });

  it('is off until confirmed; starting again replaces the pending secret', async () => {
    const { accountId, email, password, accessToken } = await signedIn();
    const first = base32Decode((await enrol(accessToken)).json().secret);
    expect(await status(accessToken)).toEqual({ enabled: false, enrolledAt: null, recoveryCodesLeft: 0 });
    expect((await auth.signIn(email, password)).json()).toHaveProperty('accessToken');
    const second = base32Decode((await enrol(accessToken)).json().secret);
    expect(second.equals(first)).toBe(false);
    const stale = await confirm(accessToken, totpAt(first, auth.clock.now()));
    expect([stale.statusCode, stale.json().error.code]).toEqual([422, 'AUTH_TOTP_CODE_REJECTED']);
    expect(await auth.securityEvents(accountId, 'totp.enabled')).toEqual([]);
    expect((await confirm(accessToken, totpAt(second, auth.clock.now()))).statusCode).toBe(200);
    expect((await status(accessToken)).enabled).toBe(true);
  });

  it('confirms with a code: 10 recovery codes once, totp.enabled, and a notice with a freeze link', async () => {
    const { accountId, accessToken } = await signedIn();
    const secret = base32Decode((await enrol(accessToken)).json().secret);
    const wrong = await confirm(accessToken, wrongCode(secret, auth.clock.now()));
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([422, 'AUTH_TOTP_CODE_REJECTED']);
    const res = await confirm(accessToken, totpAt(secret, auth.clock.now()));
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { recoveryCodes } = res.json();
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);
    const now = await status(accessToken);
    expect(now).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    expect(Date.parse(now.enrolledAt)).toBeGreaterThan(Date.now() - 60_000);

    expect(await auth.securityEvents(accountId, 'totp.enabled')).toHaveLength(1);
    const [notice] = await auth.notifications(accountId, 'notification.two_factor_changed');
    expect(notice?.payload).toMatchObject({ change: 'enabled' });
    const freeze = await latestToken(auth, accountId, 'notification.two_factor_changed');
    expect((await auth.wallet({ method: 'POST', url: '/v1/freezes', payload: { token: freeze } })).statusCode).toBe(
      204,
    );
  });

  it('keeps no readable secret or recovery code in the database, pending or active', async () => {
    const { accountId, accessToken } = await signedIn();
    const shown = (await enrol(accessToken)).json().secret as string;
    const raw = base32Decode(shown);
    const forms = [shown, shown.toLowerCase(), raw.toString('hex'), raw.toString('base64'), raw.toString('base64url')];
    const pending = await rawRows(accountId);
    expect(pending).toContain('pending_ciphertext');
    for (const form of forms) expect(pending).not.toContain(form);

    const { recoveryCodes } = (await confirm(accessToken, totpAt(raw, auth.clock.now()))).json();
    const active = await rawRows(accountId);
    expect(active).toMatch(/"secret_key_id":"dev"/);
    for (const form of forms) expect(active).not.toContain(form);
    for (const code of recoveryCodes as string[]) {
      expect(active).not.toContain(code);
      expect(active).not.toContain(code.replace('-', ''));
    }
  });

  it('never takes the confirming code again, not even to sign in', async () => {
    const { email, password, accessToken } = await signedIn();
    const secret = base32Decode((await enrol(accessToken)).json().secret);
    const code = totpAt(secret, auth.clock.now());
    expect((await confirm(accessToken, code)).statusCode).toBe(200);
    const replay = await secondStep(auth, { mfaToken: await mfaTokenFor(auth, { email, password }), code });
    expect([replay.statusCode, replay.json().error.code]).toEqual([401, 'AUTH_SECOND_FACTOR_INVALID']);
  });

  it('refuses to start or confirm again while on (409), and an expired or missing enrolment', async () => {
    const user = await enrolledUser(auth);
    const again = await enrol(user.accessToken);
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'AUTH_TOTP_ALREADY_ENABLED']);
    const reconfirm = await confirm(user.accessToken, nextCode(auth, user.secret));
    expect([reconfirm.statusCode, reconfirm.json().error.code]).toEqual([409, 'AUTH_TOTP_ALREADY_ENABLED']);

    const other = await signedIn();
    const none = await confirm(other.accessToken, '123456');
    expect([none.statusCode, none.json().error.code]).toEqual([409, 'AUTH_TOTP_NOT_PENDING']);
    const secret = base32Decode((await enrol(other.accessToken)).json().secret);
    auth.clock.advance(auth.config.twoFactor.enrolmentTtlSeconds);
    const late = await confirm(other.accessToken, totpAt(secret, auth.clock.now()));
    expect([late.statusCode, late.json().error.code]).toEqual([409, 'AUTH_TOTP_NOT_PENDING']);
  });

  it('of concurrent confirmations with the same code, exactly one turns two-factor on', async () => {
    const { accountId, accessToken } = await signedIn();
    const secret = base32Decode((await enrol(accessToken)).json().secret);
    const code = totpAt(secret, auth.clock.now());
    const answers = await Promise.all(Array.from({ length: 4 }, () => confirm(accessToken, code)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409, 409]);
    expect(await auth.securityEvents(accountId, 'totp.enabled')).toHaveLength(1);
    const codes = await auth.db.db.selectFrom('auth_recovery_codes').where('account_id', '=', accountId).execute();
    expect(codes).toHaveLength(10);
  });

  it('checks who calls, and answers bad input with 400, never a 500', async () => {
    const { accessToken } = await signedIn();
    expect((await auth.wallet({ method: 'POST', url: '/v1/accounts/me/totp' })).statusCode).toBe(401);
    expect((await auth.wallet({ method: 'GET', url: '/v1/accounts/me/totp' }, `${accessToken}x`)).statusCode).toBe(401);
    const noKey = await auth.server.inject({
      method: 'GET',
      url: '/v1/accounts/me/totp',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(noKey.statusCode).toBe(401);
    const internalKey = await auth.internal({
      method: 'GET',
      url: '/v1/accounts/me/totp',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(internalKey.statusCode).toBe(403);
    for (const payload of [
      {},
      { code: '12345' },
      { code: 123456 },
      { code: '１２３４５６' },
      { code: 'x'.repeat(5000) },
    ]) {
      const res = await auth.wallet({ method: 'POST', url: '/v1/accounts/me/totp/confirm', payload }, accessToken);
      expect([res.statusCode, res.json().error.code]).toEqual([400, 'AUTH_VALIDATION_FAILED']);
    }
  });
});
