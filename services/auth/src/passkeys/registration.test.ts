import { SoftwareAuthenticator } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, startAuth } from '../testing/harness';
import { addPasskey, codeOf, freshAccessToken, passkeyUser, registrationOptions } from '../testing/passkeys';
import { enrolledUser } from '../testing/two-factor';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

/** Past the recent-sign-in window (300 s), well inside the access token's lifetime (600 s). */
const STALE_SECONDS = 301;

const list = async (accessToken: string) =>
  (await auth.wallet({ method: 'GET', url: '/v1/accounts/me/passkeys' }, accessToken)).json().items;

describe('registering a passkey', () => {
  it('asks for a discoverable credential with user verification and attestation none, bound to our RP', async () => {
    const { email, password } = await auth.register();
    const { accessToken } = (await auth.signIn(email, password)).json();
    const { ceremonyId, options } = await registrationOptions(auth, accessToken);
    expect(ceremonyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(options).toMatchObject({
      rp: { id: 'localhost', name: 'Wallet Guard' },
      user: { name: email },
      attestation: 'none',
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      timeout: 300_000,
    });
    // 32 random bytes of challenge, base64url.
    expect(Buffer.from((options as unknown as { challenge: string }).challenge, 'base64url')).toHaveLength(32);
  });

  it('stores the passkey with its flags, tells the owner with a freeze link and publishes passkey.registered', async () => {
    const user = await passkeyUser(auth, { synced: true });
    const [view] = await list(user.accessToken);
    expect(view).toEqual({
      id: user.passkeyId,
      name: 'Test key',
      createdAt: expect.any(String),
      lastUsedAt: null,
      deviceType: 'multiDevice',
      backupEligible: true,
      backedUp: true,
      transports: ['internal'],
      aaguid: '00000000-0000-0000-0000-000000000000',
    });
    const [registered] = await auth.securityEvents(user.accountId, 'passkey.registered');
    expect(registered?.payload).toMatchObject({
      passkeyId: user.passkeyId,
      name: 'Test key',
      aaguid: '00000000-0000-0000-0000-000000000000',
      deviceType: 'multiDevice',
    });
    const notices = await auth.notifications(user.accountId, 'notification.two_factor_changed');
    expect(notices.map((n) => n.payload)).toEqual([
      expect.objectContaining({ change: 'passkey_added', passkeyName: 'Test key', freezeToken: expect.any(String) }),
    ]);
    // A device-bound key and a default name.
    const second = await addPasskey(auth, user.accessToken, new SoftwareAuthenticator());
    expect(second.statusCode).toBe(201);
    expect(second.json()).toMatchObject({
      name: 'Device-bound passkey',
      deviceType: 'singleDevice',
      backupEligible: false,
      backedUp: false,
    });
    expect((await list(user.accessToken)).map((p: { id: string }) => p.id)).toEqual([second.json().id, user.passkeyId]);
  });

  it('needs the password or a recent sign-in; a wrong password counts as a failed sign-in', async () => {
    const { accountId, email, password } = await auth.register();
    const { accessToken } = (await auth.signIn(email, password)).json();
    auth.clock.advance(STALE_SECONDS);
    const start = (payload?: object) =>
      auth.wallet(
        { method: 'POST', url: '/v1/accounts/me/passkeys/registration-options', ...(payload ? { payload } : {}) },
        accessToken,
      );
    const bare = await start();
    expect(codeOf(bare)).toEqual([401, 'AUTH_REAUTHENTICATION_REQUIRED']);
    expect(bare.headers['www-authenticate']).toContain('insufficient_user_authentication');
    expect(codeOf(await start({ password: 'not-the-password-at-all' }))).toEqual([401, 'AUTH_INVALID_CREDENTIALS']);
    expect(await auth.securityEvents(accountId, 'sign_in.failed')).toHaveLength(1);
    expect((await start({ password })).statusCode).toBe(201);
  });

  it("refuses a used, expired, another user's or sign-in ceremony, and an answer that does not verify", async () => {
    const user = await passkeyUser(auth);
    const other = await passkeyUser(auth);
    const authenticator = new SoftwareAuthenticator();
    const finish = (accessToken: string, ceremonyId: string, response: object) =>
      auth.wallet({ method: 'POST', url: '/v1/accounts/me/passkeys', payload: { ceremonyId, response } }, accessToken);

    // Another user's ceremony.
    const theirs = await registrationOptions(auth, other.accessToken);
    expect(codeOf(await finish(user.accessToken, theirs.ceremonyId, authenticator.register(theirs.options)))).toEqual([
      400,
      'AUTH_PASSKEY_CHALLENGE_INVALID',
    ]);
    // Expired.
    const late = await registrationOptions(auth, user.accessToken);
    auth.clock.advance(301);
    expect(codeOf(await finish(user.accessToken, late.ceremonyId, authenticator.register(late.options)))).toEqual([
      400,
      'AUTH_PASSKEY_CHALLENGE_INVALID',
    ]);
    const fresh = await freshAccessToken(auth, user);
    // Wrong origin, wrong RP id, no user verification, another challenge: one 401.
    for (const overrides of [
      { origin: 'https://phishing.example' },
      { rpId: 'evil.example' },
      { userVerified: false },
      { challenge: Buffer.alloc(32, 1).toString('base64url') },
      { type: 'webauthn.get' },
    ]) {
      const started = await registrationOptions(auth, fresh);
      const res = await finish(fresh, started.ceremonyId, authenticator.register(started.options, overrides));
      expect([JSON.stringify(overrides), ...codeOf(res)]).toEqual([
        JSON.stringify(overrides),
        401,
        'AUTH_PASSKEY_REJECTED',
      ]);
    }
    // Used: the first answer registers, the same ceremony again is refused.
    const once = await registrationOptions(auth, fresh);
    expect((await finish(fresh, once.ceremonyId, authenticator.register(once.options))).statusCode).toBe(201);
    expect(codeOf(await finish(fresh, once.ceremonyId, authenticator.register(once.options)))).toEqual([
      400,
      'AUTH_PASSKEY_CHALLENGE_INVALID',
    ]);
    expect(await list(fresh)).toHaveLength(2);
  });

  it('refuses an old answer replayed on a new ceremony, and malformed answers with a 4xx, never a 5xx', async () => {
    const user = await passkeyUser(auth);
    const { ceremonyId, options } = await registrationOptions(auth, user.accessToken);
    const answer = new SoftwareAuthenticator().register(options);
    const sameCredential = { ...answer };
    expect(
      (
        await auth.wallet(
          { method: 'POST', url: '/v1/accounts/me/passkeys', payload: { ceremonyId, response: answer } },
          user.accessToken,
        )
      ).statusCode,
    ).toBe(201);
    const again = await registrationOptions(auth, user.accessToken);
    // The same credential answering a new ceremony: its challenge differs, so build it again with the new one.
    const replayed = { ...sameCredential };
    const res = await auth.wallet(
      {
        method: 'POST',
        url: '/v1/accounts/me/passkeys',
        payload: { ceremonyId: again.ceremonyId, response: replayed },
      },
      user.accessToken,
    );
    expect(codeOf(res)).toEqual([401, 'AUTH_PASSKEY_REJECTED']);

    const malformed = [
      { id: 'x', rawId: 'x', type: 'public-key', clientExtensionResults: {}, response: {} },
      { ...answer, response: { ...answer.response, attestationObject: 'not base64url!' } },
      { ...answer, response: { ...answer.response, attestationObject: 'AAAA' } },
      { ...answer, response: { ...answer.response, clientDataJSON: Buffer.from('{').toString('base64url') } },
      { ...answer, rawId: 'different' },
      'a string',
    ];
    for (const response of malformed) {
      const started = await registrationOptions(auth, user.accessToken);
      const bad = await auth.wallet(
        { method: 'POST', url: '/v1/accounts/me/passkeys', payload: { ceremonyId: started.ceremonyId, response } },
        user.accessToken,
      );
      expect(bad.statusCode).toBeGreaterThanOrEqual(400);
      expect(bad.statusCode).toBeLessThan(500);
      expect(['AUTH_VALIDATION_FAILED', 'AUTH_PASSKEY_REJECTED']).toContain(bad.json().error.code);
    }
  });

  it('answers 409 AUTH_PASSKEY_ALREADY_REGISTERED for a credential id already stored', async () => {
    const user = await passkeyUser(auth);
    const other = await passkeyUser(auth);
    // The other user's authenticator answers this user's registration with a new key, but the
    // same credential id as its existing passkey (an authenticator never does that by itself).
    const { ceremonyId, options } = await registrationOptions(auth, user.accessToken);
    const answer = other.authenticator.register(options);
    const existingId = other.authenticator.credentialIds[0] as string;
    const stored = await auth.db.db
      .selectFrom('auth_passkeys')
      .select('credential_id')
      .where('account_id', '=', other.accountId)
      .executeTakeFirstOrThrow();
    expect(stored.credential_id).toBe(existingId);
    await auth.db.db
      .updateTable('auth_passkeys')
      .set({ credential_id: answer.id })
      .where('account_id', '=', other.accountId)
      .execute();
    const res = await auth.wallet(
      { method: 'POST', url: '/v1/accounts/me/passkeys', payload: { ceremonyId, response: answer } },
      user.accessToken,
    );
    expect(codeOf(res)).toEqual([409, 'AUTH_PASSKEY_ALREADY_REGISTERED']);
    expect(await list(user.accessToken)).toHaveLength(1);
  });
});

describe('managing passkeys', () => {
  it("renames and removes only the caller's own passkeys: another user's id is 404", async () => {
    const user = await passkeyUser(auth);
    const stranger = await passkeyUser(auth);
    const rename = (accessToken: string, id: string, name: string) =>
      auth.wallet({ method: 'PATCH', url: `/v1/accounts/me/passkeys/${id}`, payload: { name } }, accessToken);
    const remove = (accessToken: string, id: string, payload: object = {}) =>
      auth.wallet({ method: 'DELETE', url: `/v1/accounts/me/passkeys/${id}`, payload }, accessToken);

    expect(codeOf(await rename(stranger.accessToken, user.passkeyId, 'mine now'))).toEqual([
      404,
      'AUTH_PASSKEY_NOT_FOUND',
    ]);
    expect(codeOf(await remove(stranger.accessToken, user.passkeyId))).toEqual([404, 'AUTH_PASSKEY_NOT_FOUND']);
    expect(codeOf(await rename(user.accessToken, user.passkeyId, '  '))).toEqual([400, 'AUTH_VALIDATION_FAILED']);
    expect(codeOf(await rename(user.accessToken, 'not-a-uuid', 'x'))).toEqual([400, 'AUTH_VALIDATION_FAILED']);

    const renamed = await rename(user.accessToken, user.passkeyId, 'Work laptop');
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ id: user.passkeyId, name: 'Work laptop' });
    expect(await list(stranger.accessToken)).toEqual([expect.objectContaining({ name: 'Test key' })]);

    // The last strong factor: the password-only session from before the passkey (aal 1) may not
    // drop it, even just signed in; a session signed in with the passkey (aal 2) may.
    expect(codeOf(await remove(user.accessToken, user.passkeyId))).toEqual([401, 'AUTH_REAUTHENTICATION_REQUIRED']);
    const strong = await freshAccessToken(auth, user);
    expect((await remove(strong, user.passkeyId)).statusCode).toBe(204);
    expect(await list(user.accessToken)).toEqual([]);
    expect(codeOf(await remove(user.accessToken, user.passkeyId))).toEqual([404, 'AUTH_PASSKEY_NOT_FOUND']);
    const [removed] = await auth.securityEvents(user.accountId, 'passkey.removed');
    expect(removed?.payload).toMatchObject({ passkeyId: user.passkeyId, name: 'Work laptop' });
    const changes = (await auth.notifications(user.accountId, 'notification.two_factor_changed')).map(
      (n) => n.payload as { change: string; passkeyName?: string; freezeToken?: string },
    );
    expect(changes.map((c) => [c.change, c.passkeyName, typeof c.freezeToken])).toEqual([
      ['passkey_added', 'Test key', 'string'],
      ['passkey_removed', 'Work laptop', 'string'],
    ]);
    // Nothing of the stranger's changed.
    expect(await auth.securityEvents(stranger.accountId, 'passkey.removed')).toEqual([]);
  });

  it('asks for a fresh proof to remove the last strong factor, not while another one is left', async () => {
    const user = await passkeyUser(auth);
    auth.clock.advance(STALE_SECONDS);
    const remove = (accessToken: string, id: string, payload: object = {}) =>
      auth.wallet({ method: 'DELETE', url: `/v1/accounts/me/passkeys/${id}`, payload }, accessToken);
    expect(codeOf(await remove(user.accessToken, user.passkeyId))).toEqual([401, 'AUTH_REAUTHENTICATION_REQUIRED']);
    // That token is the password-only session from before the passkey (aal 1): even the right
    // password does not let it drop the account's last strong factor.
    expect(codeOf(await remove(user.accessToken, user.passkeyId, { password: user.password }))).toEqual([
      401,
      'AUTH_REAUTHENTICATION_REQUIRED',
    ]);
    expect(await list(user.accessToken)).toHaveLength(1);
    // With a second passkey the first is not the last one: a stale token removes it.
    const accessToken = await freshAccessToken(auth, user);
    const second = await addPasskey(auth, accessToken, new SoftwareAuthenticator());
    expect(second.statusCode).toBe(201);
    auth.clock.advance(STALE_SECONDS);
    expect((await remove(accessToken, user.passkeyId)).statusCode).toBe(204);
    // Now the second is the last: the password removes it.
    expect(codeOf(await remove(accessToken, second.json().id))).toEqual([401, 'AUTH_REAUTHENTICATION_REQUIRED']);
    expect(codeOf(await remove(accessToken, second.json().id, { password: 'not-the-password-at-all' }))).toEqual([
      401,
      'AUTH_INVALID_CREDENTIALS',
    ]);
    expect((await remove(accessToken, second.json().id, { password: user.password })).statusCode).toBe(204);
    expect(await list(accessToken)).toEqual([]);
  });

  it('lets an account with the authenticator app remove its only passkey on a bare token', async () => {
    const user = await enrolledUser(auth);
    const added = await addPasskey(auth, user.accessToken, new SoftwareAuthenticator());
    expect(added.statusCode).toBe(201);
    auth.clock.advance(STALE_SECONDS);
    const res = await auth.wallet(
      { method: 'DELETE', url: `/v1/accounts/me/passkeys/${added.json().id}`, payload: {} },
      user.accessToken,
    );
    expect(res.statusCode).toBe(204);
  });
});
