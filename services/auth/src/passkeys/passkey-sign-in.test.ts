import { SoftwareAuthenticator } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, startAuth } from '../testing/harness';
import { claimsOf, codeOf, passkeySignIn, passkeyUser, signInOptions } from '../testing/passkeys';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

const introspect = async (token: string) =>
  (await auth.wallet({ method: 'POST', url: '/v1/tokens/introspect', payload: { token } })).json();

const answer = (ceremonyId: string, response: unknown) =>
  auth.wallet({ method: 'POST', url: '/v1/sessions/passkey', payload: { ceremonyId, response } });

describe('usernameless sign-in with a passkey', () => {
  it('offers no allowCredentials, requires user verification, and signs in with amr [hwk, user] at aal2 phishing-resistant', async () => {
    const user = await passkeyUser(auth);
    const { options } = await signInOptions(auth);
    expect(options).toMatchObject({ rpId: 'localhost', userVerification: 'required', timeout: 300_000 });
    expect(options).not.toHaveProperty('allowCredentials');

    const res = await passkeySignIn(auth, user.authenticator, {}, { deviceId: 'laptop' });
    expect(res.statusCode).toBe(200);
    const { accessToken, sessionId } = res.json();
    expect(claimsOf(accessToken)).toMatchObject({
      sub: user.accountId,
      amr: ['hwk', 'user'],
      aal: 2,
      acr: 'urn:wallet-guard:acr:aal2:phishing-resistant',
    });
    expect(await introspect(accessToken)).toEqual({
      active: true,
      sub: user.accountId,
      sid: sessionId,
      amr: ['hwk', 'user'],
      aal: 2,
      acr: 'urn:wallet-guard:acr:aal2:phishing-resistant',
      exp: expect.any(Number),
    });
    const succeeded = (await auth.securityEvents(user.accountId, 'sign_in.succeeded')).at(-1)?.payload;
    expect(succeeded).toMatchObject({ sessionId, amr: ['hwk', 'user'], newDevice: true });
    expect(await auth.notifications(user.accountId, 'notification.new_sign_in')).toHaveLength(1);
    const [stored] = (await auth.wallet({ method: 'GET', url: '/v1/accounts/me/passkeys' }, accessToken)).json().items;
    expect(stored.lastUsedAt).not.toBeNull();
  });

  it('marks a synced passkey swk, and a password-only session aal1', async () => {
    const user = await passkeyUser(auth, { synced: true });
    const res = await passkeySignIn(auth, user.authenticator);
    expect(claimsOf(res.json().accessToken)).toMatchObject({
      amr: ['swk', 'user'],
      acr: expect.stringMatching(/phishing-resistant$/),
    });
    const plain = await auth.register();
    const { accessToken } = (await auth.signIn(plain.email, plain.password)).json();
    expect(await introspect(accessToken)).toMatchObject({ amr: ['pwd'], aal: 1, acr: 'urn:wallet-guard:acr:aal1' });
  });

  it('uses a challenge once, and not after it expired', async () => {
    const user = await passkeyUser(auth);
    const { ceremonyId, options } = await signInOptions(auth);
    const response = user.authenticator.authenticate(options);
    expect((await answer(ceremonyId, response)).statusCode).toBe(200);
    expect(codeOf(await answer(ceremonyId, user.authenticator.authenticate(options)))).toEqual([
      400,
      'AUTH_PASSKEY_CHALLENGE_INVALID',
    ]);
    const late = await signInOptions(auth);
    auth.clock.advance(301);
    expect(codeOf(await answer(late.ceremonyId, user.authenticator.authenticate(late.options)))).toEqual([
      400,
      'AUTH_PASSKEY_CHALLENGE_INVALID',
    ]);
    expect(codeOf(await answer('6f1d1c0e-8a59-4f0e-9b4f-0d3c1a2b3c4d', response))).toEqual([
      400,
      'AUTH_PASSKEY_CHALLENGE_INVALID',
    ]);
  });

  it('lets exactly one of concurrent answers to one ceremony sign in', async () => {
    const user = await passkeyUser(auth);
    const { ceremonyId, options } = await signInOptions(auth);
    const answers = [1, 2, 3, 4].map(() => user.authenticator.authenticate(options));
    const results = await Promise.all(answers.map((response) => answer(ceremonyId, response)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 400, 400, 400]);
  });

  it('refuses a ceremony started for another purpose', async () => {
    const user = await passkeyUser(auth);
    const stepUp = await auth.wallet(
      { method: 'POST', url: '/v1/passkeys/step-up-options', payload: { purpose: 'password_change' } },
      user.accessToken,
    );
    const { ceremonyId, options } = stepUp.json();
    expect(codeOf(await answer(ceremonyId, user.authenticator.authenticate(options)))).toEqual([
      400,
      'AUTH_PASSKEY_CHALLENGE_INVALID',
    ]);
  });

  it('answers one 401 for a wrong origin, a wrong RP id, no user verification, a bad signature and an unknown credential', async () => {
    const user = await passkeyUser(auth);
    const cases = [
      { origin: 'https://wallet-guard.phishing.example' },
      { origin: 'http://localhost:4006' },
      { rpId: 'example.com' },
      { userVerified: false },
      { corruptSignature: true },
      { challenge: Buffer.alloc(32, 7).toString('base64url') },
      { type: 'webauthn.create' },
    ];
    for (const overrides of cases) {
      const res = await passkeySignIn(auth, user.authenticator, overrides);
      expect([JSON.stringify(overrides), ...codeOf(res)]).toEqual([
        JSON.stringify(overrides),
        401,
        'AUTH_PASSKEY_REJECTED',
      ]);
    }
    const stranger = new SoftwareAuthenticator();
    const { options } = await signInOptions(auth);
    stranger.register({
      challenge: options.challenge,
      rp: { id: 'localhost', name: 'x' },
      user: { id: 'AAAA', name: 'x', displayName: 'x' },
    });
    expect(codeOf(await passkeySignIn(auth, stranger))).toEqual([401, 'AUTH_PASSKEY_REJECTED']);
    // Each refusal counted like a wrong password (the unknown credential names no account): the fifth locked.
    const failed = await auth.securityEvents(user.accountId, 'sign_in.failed');
    expect(failed.map((e) => (e.payload as { reason: string }).reason)).toEqual([
      'wrong_passkey',
      'wrong_passkey',
      'wrong_passkey',
      'wrong_passkey',
      'wrong_passkey',
      'locked',
      'locked',
    ]);
    expect(await auth.securityEvents(user.accountId, 'account.locked')).toHaveLength(1);
  });

  it('refuses an answer whose user handle names another account, and accepts one that sends none', async () => {
    const user = await passkeyUser(auth);
    const other = await passkeyUser(auth);
    const otherHandle = Buffer.from(other.accountId.replaceAll('-', ''), 'hex').toString('base64url');
    expect(codeOf(await passkeySignIn(auth, user.authenticator, { userHandle: otherHandle }))).toEqual([
      401,
      'AUTH_PASSKEY_REJECTED',
    ]);
    const res = await passkeySignIn(auth, user.authenticator, { userHandle: null });
    expect(res.statusCode).toBe(200);
    expect(claimsOf(res.json().accessToken).sub).toBe(user.accountId);
  });

  it('refuses malformed answers with 400 AUTH_VALIDATION_FAILED, never a 5xx', async () => {
    const user = await passkeyUser(auth);
    const { ceremonyId, options } = await signInOptions(auth);
    const good = user.authenticator.authenticate(options);
    const bad = [
      null,
      'text',
      {},
      { ...good, type: 'password' },
      { ...good, rawId: 'other' },
      { ...good, response: { ...good.response, signature: undefined } },
      { ...good, response: { ...good.response, authenticatorData: 'has spaces' } },
      { ...good, id: 'A'.repeat(5000), rawId: 'A'.repeat(5000) },
    ];
    for (const response of bad) {
      const res = await answer(ceremonyId, response);
      expect([JSON.stringify(response)?.slice(0, 60), ...codeOf(res)]).toEqual([
        JSON.stringify(response)?.slice(0, 60),
        400,
        'AUTH_VALIDATION_FAILED',
      ]);
    }
    // Well-formed base64url that decodes to garbage: the library throws, the answer is a 401.
    const garbage = { ...good, response: { ...good.response, authenticatorData: 'AAAA', clientDataJSON: 'e30' } };
    expect(codeOf(await answer(ceremonyId, garbage))).toEqual([401, 'AUTH_PASSKEY_REJECTED']);
    const garbled = { ...good, response: { ...good.response, clientDataJSON: 'AAAA' } };
    const second = await signInOptions(auth);
    expect(codeOf(await answer(second.ceremonyId, garbled))).toEqual([401, 'AUTH_PASSKEY_REJECTED']);
  });
});

describe('a signature counter that goes backwards', () => {
  it('refuses the sign-in, keeps the stored counter and publishes passkey.counter_regressed', async () => {
    const user = await passkeyUser(auth);
    const clone = user.authenticator.clone();
    for (let i = 0; i < 3; i++) expect((await passkeySignIn(auth, user.authenticator)).statusCode).toBe(200);
    const credentialId = user.authenticator.credentialIds[0] as string;
    expect(user.authenticator.counterOf(credentialId)).toBe(3);
    // The clone's counter is at 0: its next answer presents 1, below the stored 3.
    const res = await passkeySignIn(auth, clone, {}, { ip: '203.0.113.50' });
    expect(codeOf(res)).toEqual([401, 'AUTH_PASSKEY_REJECTED']);
    const [regressed] = await auth.securityEvents(user.accountId, 'passkey.counter_regressed');
    expect(regressed?.payload).toMatchObject({
      passkeyId: user.passkeyId,
      storedCounter: 3,
      presentedCounter: 1,
      context: { ip: '203.0.113.50' },
    });
    const stored = await auth.db.db
      .selectFrom('auth_passkeys')
      .select('counter')
      .where('id', '=', user.passkeyId)
      .executeTakeFirstOrThrow();
    expect(Number(stored.counter)).toBe(3);
    // An equal counter is refused too (a replay of the last one).
    expect(codeOf(await passkeySignIn(auth, user.authenticator, { counter: 3 }))).toEqual([
      401,
      'AUTH_PASSKEY_REJECTED',
    ]);
    expect(await auth.securityEvents(user.accountId, 'passkey.counter_regressed')).toHaveLength(2);
    // The original authenticator, still ahead, signs in.
    expect((await passkeySignIn(auth, user.authenticator)).statusCode).toBe(200);
  });
});

describe('passkey failures and the lockout', () => {
  it('count on the same counter as wrong passwords, and lock it at the threshold', async () => {
    const user = await passkeyUser(auth);
    for (let i = 0; i < 3; i++) {
      expect((await auth.signIn(user.email, 'not-the-password-at-all')).statusCode).toBe(401);
    }
    for (let i = 0; i < 2; i++) {
      expect(codeOf(await passkeySignIn(auth, user.authenticator, { corruptSignature: true }))).toEqual([
        401,
        'AUTH_PASSKEY_REJECTED',
      ]);
    }
    const [locked] = await auth.securityEvents(user.accountId, 'account.locked');
    expect(locked?.payload).toMatchObject({ failures: 5, hard: false });
    expect(await auth.notifications(user.accountId, 'notification.unlock_link')).toHaveLength(1);
    // Locked: the right passkey gets the same 401, unchecked.
    expect(codeOf(await passkeySignIn(auth, user.authenticator))).toEqual([401, 'AUTH_PASSKEY_REJECTED']);
    const reasons = (await auth.securityEvents(user.accountId, 'sign_in.failed')).map(
      (e) => (e.payload as { reason: string }).reason,
    );
    expect(reasons.slice(-3)).toEqual(['wrong_passkey', 'wrong_passkey', 'locked']);
    // The lock runs out: the passkey signs in again.
    auth.clock.advance(901);
    expect((await passkeySignIn(auth, user.authenticator)).statusCode).toBe(200);
  });

  it('refuses a frozen account with the same answer', async () => {
    const user = await passkeyUser(auth);
    await auth.internal({
      method: 'POST',
      url: `/internal/v1/accounts/${user.accountId}/freeze`,
      payload: { actor: 'agent:test' },
    });
    expect(codeOf(await passkeySignIn(auth, user.authenticator))).toEqual([401, 'AUTH_PASSKEY_REJECTED']);
    const [failed] = await auth.securityEvents(user.accountId, 'sign_in.failed');
    expect(failed?.payload).toMatchObject({ reason: 'frozen' });
  });
});
