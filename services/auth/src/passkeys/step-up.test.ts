import { SoftwareAuthenticator } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, latestToken, startAuth, strongPassword } from '../testing/harness';
import {
  addPasskey,
  claimsOf,
  codeOf,
  type PasskeyUser,
  passkeyUser,
  secondStepProof,
  stepUpProof,
} from '../testing/passkeys';
import { enrolledUser, mfaTokenFor, nextCode } from '../testing/two-factor';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

const introspect = async (token: string) =>
  (await auth.wallet({ method: 'POST', url: '/v1/tokens/introspect', payload: { token } })).json();
const mfa = (payload: object) => auth.wallet({ method: 'POST', url: '/v1/sessions/mfa', payload });
const changePassword = (accessToken: string, payload: object) =>
  auth.wallet({ method: 'POST', url: '/v1/accounts/me/password', payload }, accessToken);

describe('a passkey as the second step after the password', () => {
  it('is offered in methods, and starts an aal2 phishing-resistant session with amr [pwd, hwk, user]', async () => {
    const user = await passkeyUser(auth);
    const first = (await auth.signIn(user.email, user.password)).json();
    expect(first).toEqual({ mfaRequired: true, mfaToken: expect.any(String), methods: ['passkey'] });
    const options = await auth.wallet({
      method: 'POST',
      url: '/v1/sessions/mfa/passkey-options',
      payload: { mfaToken: first.mfaToken },
    });
    expect(options.json().options.allowCredentials).toEqual([
      { id: user.authenticator.credentialIds[0], type: 'public-key', transports: ['internal'] },
    ]);
    const res = await mfa({
      mfaToken: first.mfaToken,
      passkey: await secondStepProof(auth, user.authenticator, first.mfaToken),
    });
    expect(res.statusCode).toBe(200);
    expect(claimsOf(res.json().accessToken)).toMatchObject({
      amr: ['pwd', 'hwk', 'user'],
      aal: 2,
      acr: 'urn:wallet-guard:acr:aal2:phishing-resistant',
    });
    expect(await introspect(res.json().accessToken)).toMatchObject({
      amr: ['pwd', 'hwk', 'user'],
      acr: 'urn:wallet-guard:acr:aal2:phishing-resistant',
    });
  });

  it('lists every method of an account with the app and a passkey; TOTP sessions are aal2 without phishing resistance', async () => {
    const user = await enrolledUser(auth);
    expect((await addPasskey(auth, user.accessToken, new SoftwareAuthenticator())).statusCode).toBe(201);
    const first = (await auth.signIn(user.email, user.password)).json();
    expect(first.methods).toEqual(['totp', 'recovery', 'passkey']);
    const res = await mfa({ mfaToken: first.mfaToken, code: nextCode(auth, user.secret) });
    expect(await introspect(res.json().accessToken)).toMatchObject({
      amr: ['pwd', 'otp'],
      aal: 2,
      acr: 'urn:wallet-guard:acr:aal2',
    });
    expect(codeOf(await mfa({ mfaToken: first.mfaToken, code: '123456', recoveryCode: 'abcde-fghij' }))).toEqual([
      400,
      'AUTH_VALIDATION_FAILED',
    ]);
  });

  it("binds the ceremony to its mfaToken, and spends the token's tries and the lockout counter on a refusal", async () => {
    const user = await passkeyUser(auth);
    const one = await mfaTokenFor(auth, user);
    const other = await mfaTokenFor(auth, user);
    // Options of one second step answered on another: no factor was tried.
    const proof = await secondStepProof(auth, user.authenticator, one);
    expect(codeOf(await mfa({ mfaToken: other, passkey: proof }))).toEqual([400, 'AUTH_PASSKEY_CHALLENGE_INVALID']);
    // A bad signature: 401, counted as a failure with reason wrong_passkey.
    const bad = await secondStepProof(auth, user.authenticator, one, { corruptSignature: true });
    expect(codeOf(await mfa({ mfaToken: one, passkey: bad }))).toEqual([401, 'AUTH_PASSKEY_REJECTED']);
    const failed = (await auth.securityEvents(user.accountId, 'sign_in.failed')).at(-1);
    expect(failed?.payload).toMatchObject({ reason: 'wrong_passkey', failures: 1 });
    // Wrong origin on the same token, then the right answer still works (2 of 5 tries used).
    const phished = await secondStepProof(auth, user.authenticator, one, { origin: 'https://evil.example' });
    expect(codeOf(await mfa({ mfaToken: one, passkey: phished }))).toEqual([401, 'AUTH_PASSKEY_REJECTED']);
    const good = await mfa({ mfaToken: one, passkey: await secondStepProof(auth, user.authenticator, one) });
    expect(good.statusCode).toBe(200);
    // Options for a spent token are refused.
    const spent = await auth.wallet({
      method: 'POST',
      url: '/v1/sessions/mfa/passkey-options',
      payload: { mfaToken: one },
    });
    expect(codeOf(spent)).toEqual([401, 'AUTH_INVALID_TOKEN']);
  });

  it('has no passkey options for an account without passkeys (404)', async () => {
    const user = await enrolledUser(auth);
    const mfaToken = await mfaTokenFor(auth, user);
    const res = await auth.wallet({ method: 'POST', url: '/v1/sessions/mfa/passkey-options', payload: { mfaToken } });
    expect(codeOf(res)).toEqual([404, 'AUTH_PASSKEY_NOT_FOUND']);
  });
});

describe('a passkey in every step-up', () => {
  const signedIn = async (user: PasskeyUser) => {
    const mfaToken = await mfaTokenFor(auth, user);
    const res = await mfa({ mfaToken, passkey: await secondStepProof(auth, user.authenticator, mfaToken) });
    return res.json().accessToken as string;
  };

  it('changes the password with the current one and a passkey answer made for the password change', async () => {
    const user = await passkeyUser(auth);
    const accessToken = await signedIn(user);
    const newPassword = strongPassword();
    expect(codeOf(await changePassword(accessToken, { currentPassword: user.password, newPassword }))).toEqual([
      401,
      'AUTH_SECOND_FACTOR_INVALID',
    ]);
    // An answer made for another step-up does not serve this one.
    const forDisable = await stepUpProof(auth, user.authenticator, 'disable', { accessToken });
    expect(
      codeOf(await changePassword(accessToken, { currentPassword: user.password, newPassword, passkey: forDisable })),
    ).toEqual([400, 'AUTH_PASSKEY_CHALLENGE_INVALID']);
    const passkey = await stepUpProof(auth, user.authenticator, 'password_change', { accessToken });
    const res = await changePassword(accessToken, { currentPassword: user.password, newPassword, passkey });
    expect(res.statusCode).toBe(204);
    expect((await auth.signIn(user.email, newPassword)).json()).toMatchObject({ mfaRequired: true });
  });

  it('unlocks with the e-mail link and a passkey, its options asked for with the link (not used up)', async () => {
    const user = await passkeyUser(auth);
    for (let i = 0; i < 5; i++) await auth.signIn(user.email, 'not-the-password-at-all');
    const token = await latestToken(auth, user.accountId, 'notification.unlock_link');
    const noToken = await auth.wallet({
      method: 'POST',
      url: '/v1/passkeys/step-up-options',
      payload: { purpose: 'unlock' },
    });
    expect(codeOf(noToken)).toEqual([401, 'AUTH_INVALID_TOKEN']);
    const wrongPurpose = await auth.wallet({
      method: 'POST',
      url: '/v1/passkeys/step-up-options',
      payload: { purpose: 'password_reset', token },
    });
    expect(codeOf(wrongPurpose)).toEqual([401, 'AUTH_INVALID_TOKEN']);
    const unlock = (payload: object) => auth.wallet({ method: 'POST', url: '/v1/unlocks', payload });
    expect(codeOf(await unlock({ token }))).toEqual([401, 'AUTH_SECOND_FACTOR_INVALID']);
    const passkey = await stepUpProof(auth, user.authenticator, 'unlock', { token });
    expect((await unlock({ token, passkey })).statusCode).toBe(204);
    expect(await auth.securityEvents(user.accountId, 'account.unlocked')).toHaveLength(1);
    expect((await auth.signIn(user.email, user.password)).json()).toMatchObject({ mfaRequired: true });
  });

  it('resets the password with the e-mail link and a passkey', async () => {
    const user = await passkeyUser(auth);
    await auth.wallet({ method: 'POST', url: '/v1/password-resets', payload: { email: user.email } });
    const token = await latestToken(auth, user.accountId, 'notification.password_reset_link');
    const passkey = await stepUpProof(auth, user.authenticator, 'password_reset', { token });
    const res = await auth.wallet({
      method: 'POST',
      url: '/v1/password-resets/confirm',
      payload: { token, newPassword: strongPassword(), passkey },
    });
    expect(res.statusCode).toBe(204);
  });

  it('turns the authenticator app off and makes new recovery codes with a passkey', async () => {
    const user = await enrolledUser(auth);
    const authenticator = new SoftwareAuthenticator();
    expect((await addPasskey(auth, user.accessToken, authenticator)).statusCode).toBe(201);
    const regenerated = await auth.wallet(
      {
        method: 'POST',
        url: '/v1/accounts/me/recovery-codes',
        payload: { passkey: await stepUpProof(auth, authenticator, 'regenerate', { accessToken: user.accessToken }) },
      },
      user.accessToken,
    );
    expect(regenerated.statusCode).toBe(200);
    const off = await auth.wallet(
      {
        method: 'DELETE',
        url: '/v1/accounts/me/totp',
        payload: {
          password: user.password,
          passkey: await stepUpProof(auth, authenticator, 'disable', { accessToken: user.accessToken }),
        },
      },
      user.accessToken,
    );
    expect(off.statusCode).toBe(204);
    // Two-factor stays on through the passkey.
    expect((await auth.signIn(user.email, user.password)).json()).toMatchObject({ methods: ['passkey'] });
  });

  it('removes the last passkey on a stale token with a passkey answer made for the removal', async () => {
    const user = await passkeyUser(auth);
    auth.clock.advance(301);
    const remove = (payload: object) =>
      auth.wallet({ method: 'DELETE', url: `/v1/accounts/me/passkeys/${user.passkeyId}`, payload }, user.accessToken);
    expect(codeOf(await remove({}))).toEqual([401, 'AUTH_REAUTHENTICATION_REQUIRED']);
    const passkey = await stepUpProof(auth, user.authenticator, 'remove_passkey', { accessToken: user.accessToken });
    expect((await remove({ passkey })).statusCode).toBe(204);
    expect((await auth.signIn(user.email, user.password)).json()).toMatchObject({ accessToken: expect.any(String) });
  });

  it('locks the step-up counter after five refused passkeys, like wrong codes', async () => {
    const user = await passkeyUser(auth);
    const accessToken = await signedIn(user);
    const newPassword = strongPassword();
    for (let i = 0; i < 5; i++) {
      const passkey = await stepUpProof(
        auth,
        user.authenticator,
        'password_change',
        { accessToken },
        {
          corruptSignature: true,
        },
      );
      expect(
        codeOf(await changePassword(accessToken, { currentPassword: user.password, newPassword, passkey })),
      ).toEqual([401, 'AUTH_PASSKEY_REJECTED']);
    }
    const [locked] = await auth.securityEvents(user.accountId, 'account.locked');
    expect(locked?.payload).toMatchObject({ failures: 5 });
    const passkey = await stepUpProof(auth, user.authenticator, 'password_change', { accessToken });
    expect(codeOf(await changePassword(accessToken, { currentPassword: user.password, newPassword, passkey }))).toEqual(
      [401, 'AUTH_PASSKEY_REJECTED'],
    );
  });

  it('gives options only to whoever may ask: a bearer for signed-in purposes, 404 without a passkey', async () => {
    const options = (payload: object, accessToken?: string) =>
      auth.wallet({ method: 'POST', url: '/v1/passkeys/step-up-options', payload }, accessToken);
    expect(codeOf(await options({ purpose: 'password_change' }))).toEqual([401, 'AUTH_INVALID_ACCESS_TOKEN']);
    expect(codeOf(await options({ purpose: 'disable' }, 'not-a-token'))).toEqual([401, 'AUTH_INVALID_ACCESS_TOKEN']);
    expect(codeOf(await options({ purpose: 'sign_in' }))).toEqual([400, 'AUTH_VALIDATION_FAILED']);
    const plain = await auth.register();
    const { accessToken } = (await auth.signIn(plain.email, plain.password)).json();
    expect(codeOf(await options({ purpose: 'password_change' }, accessToken))).toEqual([404, 'AUTH_PASSKEY_NOT_FOUND']);
  });
});
