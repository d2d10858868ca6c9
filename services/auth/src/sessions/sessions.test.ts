import { generateKeyPairSync } from 'node:crypto';
import { authConfigSchema, parseConfig } from '@wallet-guard/config';
import { testEnv } from '@wallet-guard/testing';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthServer } from '../server';
import { type AuthHarness, FAST_ARGON2, startAuth, WALLET_KEY } from '../testing/harness';

let auth: AuthHarness;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(() => auth.close());

async function session(context: Record<string, string> = {}) {
  const account = await auth.register();
  const res = await auth.signIn(account.email, account.password, context);
  expect(res.statusCode).toBe(200);
  return { ...account, ...(res.json() as { accessToken: string; refreshToken: string; sessionId: string }) };
}

const refresh = (refreshToken: string) =>
  auth.wallet({ method: 'POST', url: '/v1/sessions/refresh', payload: { refreshToken } });
const introspect = async (token: string) =>
  (await auth.wallet({ method: 'POST', url: '/v1/tokens/introspect', payload: { token } })).json();

describe('tokens and sessions', () => {
  it('issues a 10-minute EdDSA access token with sub, sid, amr, aal and acr, verifiable with the JWKS', async () => {
    const s = await session();
    expect(decodeProtectedHeader(s.accessToken)).toMatchObject({ alg: 'EdDSA' });
    const claims = decodeJwt(s.accessToken);
    expect(claims).toMatchObject({
      sub: s.accountId,
      sid: s.sessionId,
      amr: ['pwd'],
      aal: 1,
      acr: 'urn:wallet-guard:acr:aal1',
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(600);
    expect(s.refreshToken).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
    const jwks = (await auth.server.inject({ url: '/.well-known/jwks.json' })).json();
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toContain(decodeProtectedHeader(s.accessToken).kid);
    expect(await introspect(s.accessToken)).toEqual({
      active: true,
      sub: s.accountId,
      sid: s.sessionId,
      amr: ['pwd'],
      aal: 1,
      acr: 'urn:wallet-guard:acr:aal1',
      exp: claims.exp,
    });
    auth.clock.advance(601);
    expect(await introspect(s.accessToken)).toEqual({ active: false });
    expect(await introspect('not-a-jwt')).toEqual({ active: false });
  });

  it('rotates the refresh token on every use and stores only its hash', async () => {
    const s = await session();
    const first = await refresh(s.refreshToken);
    expect(first.statusCode).toBe(200);
    const next = first.json();
    expect(next.refreshToken).not.toBe(s.refreshToken);
    expect(next.sessionId).toBe(s.sessionId);
    expect((await refresh(next.refreshToken)).statusCode).toBe(200);
    const stored = await auth.db.db.selectFrom('auth_refresh_tokens').select('token_hash').execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(s.refreshToken);
    expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
  });

  it('revokes the whole session when a used refresh token comes back, and records refresh_token.reused', async () => {
    const s = await session();
    const rotated = (await refresh(s.refreshToken)).json();
    const replay = await refresh(s.refreshToken);
    expect([replay.statusCode, replay.json().error.code]).toEqual([401, 'AUTH_INVALID_TOKEN']);
    // The legitimate holder's newer token dies with the session, and so does the access token.
    expect((await refresh(rotated.refreshToken)).statusCode).toBe(401);
    expect(await introspect(rotated.accessToken)).toEqual({ active: false });
    const events = await auth.securityEvents(s.accountId, 'refresh_token.reused');
    expect(events.map((e) => e.payload)).toMatchObject([{ sessionId: s.sessionId }]);
    // Once the session is gone, presenting its tokens again is just invalid (no second event).
    await refresh(s.refreshToken);
    expect(await auth.securityEvents(s.accountId, 'refresh_token.reused')).toHaveLength(1);
  });

  it("lists the user's sessions with device, IP and last use; ends one, the current one, or all", async () => {
    const s = await session({ deviceId: 'laptop', ip: '198.51.100.1', userAgent: 'Wallet/1.0' });
    const other = (await auth.signIn(s.email, s.password, { deviceId: 'phone' })).json();
    const third = (await auth.signIn(s.email, s.password)).json();
    const list = (await auth.wallet({ method: 'GET', url: '/v1/sessions' }, s.accessToken)).json();
    expect(list.items).toHaveLength(3);
    expect(list.items.find((i: { id: string }) => i.id === s.sessionId)).toMatchObject({
      current: true,
      deviceId: 'laptop',
      ip: '198.51.100.1',
      userAgent: 'Wallet/1.0',
    });
    expect(list.items.every((i: { lastUsedAt: string }) => !Number.isNaN(Date.parse(i.lastUsedAt)))).toBe(true);

    const del = await auth.wallet({ method: 'DELETE', url: `/v1/sessions/${other.sessionId}` }, s.accessToken);
    expect(del.statusCode).toBe(204);
    expect(await introspect(other.accessToken)).toEqual({ active: false });
    const again = await auth.wallet({ method: 'DELETE', url: `/v1/sessions/${other.sessionId}` }, s.accessToken);
    expect([again.statusCode, again.json().error.code]).toEqual([404, 'AUTH_SESSION_NOT_FOUND']);
    // Another account's session is not found either (no way to end or probe it).
    const stranger = await session();
    const foreign = await auth.wallet({ method: 'DELETE', url: `/v1/sessions/${stranger.sessionId}` }, s.accessToken);
    expect(foreign.statusCode).toBe(404);
    expect((await introspect(stranger.accessToken)).active).toBe(true);

    expect((await auth.wallet({ method: 'DELETE', url: '/v1/sessions/current' }, third.accessToken)).statusCode).toBe(
      204,
    );
    expect((await refresh(third.refreshToken)).statusCode).toBe(401);
    expect((await auth.wallet({ method: 'POST', url: '/v1/sessions/revoke-all' }, s.accessToken)).statusCode).toBe(204);
    expect(await introspect(s.accessToken)).toEqual({ active: false });
    expect((await auth.wallet({ method: 'GET', url: '/v1/sessions' }, s.accessToken)).statusCode).toBe(401);
  });

  it('checks who is calling: the API key with its scope, then the access token', async () => {
    const s = await session();
    const noKey = await auth.server.inject({
      method: 'GET',
      url: '/v1/sessions',
      headers: { authorization: `Bearer ${s.accessToken}` },
    });
    expect([noKey.statusCode, noKey.json().error.code]).toEqual([401, 'AUTH_UNAUTHENTICATED']);
    const internalKey = await auth.server.inject({
      method: 'POST',
      url: '/v1/sessions',
      headers: { 'x-api-key': 'dev-internal-key' },
      payload: { email: s.email, password: s.password },
    });
    expect(internalKey.statusCode).toBe(403);
    for (const authorization of [undefined, 'Bearer nope', `Basic ${s.accessToken}`, `Bearer ${s.refreshToken}`]) {
      const res = await auth.server.inject({
        method: 'GET',
        url: '/v1/sessions',
        headers: { 'x-api-key': WALLET_KEY, ...(authorization ? { authorization } : {}) },
      });
      expect([res.statusCode, res.json().error.code]).toEqual([401, 'AUTH_INVALID_ACCESS_TOKEN']);
      expect(res.headers['www-authenticate']).toContain('invalid_token');
    }
  });

  it('verifies tokens signed by a previous key after rotation; the JWKS serves both keys', async () => {
    const old = generateKeyPairSync('ed25519');
    const next = generateKeyPairSync('ed25519');
    const jwk = (key: typeof old.privateKey | typeof old.publicKey) => key.export({ format: 'jwk' });
    const server = async (keys: unknown[]) => {
      const env = testEnv(auth.db, undefined, { ...FAST_ARGON2, AUTH_JWT_SIGNING_KEYS: JSON.stringify(keys) });
      return createAuthServer(parseConfig(authConfigSchema, env), auth.infra);
    };
    const before = await server([{ kid: 'k1', jwk: jwk(old.privateKey) }]);
    const after = await server([
      { kid: 'k2', pem: next.privateKey.export({ format: 'pem', type: 'pkcs8' }) },
      { kid: 'k1', jwk: jwk(old.publicKey) },
    ]);
    try {
      const account = await auth.register();
      const headers = { 'x-api-key': WALLET_KEY };
      const signIn = { method: 'POST' as const, url: '/v1/sessions', headers, payload: account };
      const oldToken = (await before.inject(signIn)).json().accessToken;
      const newToken = (await after.inject(signIn)).json().accessToken;
      expect(decodeProtectedHeader(oldToken).kid).toBe('k1');
      expect(decodeProtectedHeader(newToken).kid).toBe('k2');
      const check = (token: string) =>
        after.inject({ method: 'POST', url: '/v1/tokens/introspect', headers, payload: { token } });
      expect((await check(oldToken)).json().active).toBe(true);
      expect((await check(newToken)).json().active).toBe(true);
      const jwks = (await after.inject({ url: '/.well-known/jwks.json' })).json();
      expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual(['k2', 'k1']);
      expect(JSON.stringify(jwks)).not.toContain('"d"');
    } finally {
      await before.close();
      await after.close();
    }
  });
});
