import { authConfigSchema, parseConfig } from '@wallet-guard/config';
import { createLogger } from '@wallet-guard/observability';
import { type Infrastructure, openInfrastructure } from '@wallet-guard/runtime';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthServer } from './server';
import { FAST_ARGON2, strongPassword, WALLET_KEY } from './testing/harness';
import { base32Decode, totpAt } from './testing/two-factor';

// The quick-start mode: embedded Postgres (PGlite) in memory, events in-process. Same SQL as on Postgres.
let infra: Infrastructure;
let server: FastifyInstance;
beforeAll(async () => {
  const config = parseConfig(authConfigSchema, {
    NODE_ENV: 'test',
    DATA_DIR: ':memory:',
    LOG_LEVEL: 'silent',
    ...FAST_ARGON2,
  });
  infra = await openInfrastructure(config, {
    name: 'auth',
    logger: createLogger({ service: 'auth', level: 'silent' }),
  });
  server = await createAuthServer(config, infra);
  await infra.bus.start();
});
afterAll(async () => {
  await server.close();
  await infra.close();
});

const call = (url: string, payload: object) =>
  server.inject({ method: 'POST', url, headers: { 'x-api-key': WALLET_KEY }, payload });

describe('on the embedded database', () => {
  it('registers, signs in from a new device, locks after 5 failures, refreshes and freezes', async () => {
    const email = 'embedded.user@example.com';
    const password = strongPassword();
    expect((await call('/v1/accounts', { email, password, context: { deviceId: 'a' } })).statusCode).toBe(201);
    const session = await call('/v1/sessions', { email, password, context: { deviceId: 'b', ip: '203.0.113.3' } });
    expect(session.statusCode).toBe(200);
    const refreshed = await call('/v1/sessions/refresh', { refreshToken: session.json().refreshToken });
    expect(refreshed.statusCode).toBe(200);
    expect((await call('/v1/sessions/refresh', { refreshToken: session.json().refreshToken })).statusCode).toBe(401);
    for (let i = 0; i < 5; i++) await call('/v1/sessions', { email, password: 'not-the-password-at-all' });
    expect((await call('/v1/sessions', { email, password })).statusCode).toBe(401);
    const accountId = (await infra.db.selectFrom('auth_accounts').select('id').executeTakeFirstOrThrow()).id;
    const frozen = await server.inject({
      method: 'POST',
      url: `/internal/v1/accounts/${accountId}/freeze`,
      headers: { 'x-api-key': 'dev-internal-key' },
      payload: { actor: 'agent:embedded' },
    });
    expect(frozen.statusCode).toBe(204);
    const introspected = await call('/v1/tokens/introspect', { token: refreshed.json().accessToken });
    expect(introspected.json()).toEqual({ active: false });
    const types = await infra.db.selectFrom('auth_security_events').select('type').orderBy('id').execute();
    expect(types.map((t) => t.type)).toEqual([
      'account.created',
      'sign_in.risk_assessed',
      'sign_in.succeeded',
      'refresh_token.reused',
      ...Array(5).fill('sign_in.failed'),
      'account.locked',
      'sign_in.failed',
      'account.frozen',
    ]);
  });
  it('enrols two-factor and signs in with a code and a recovery code', async () => {
    const email = 'embedded.two-factor@example.com';
    const password = strongPassword();
    await call('/v1/accounts', { email, password });
    const { accessToken } = (await call('/v1/sessions', { email, password })).json();
    const asUser = (method: 'POST' | 'DELETE', url: string, payload?: object) =>
      server.inject({
        method,
        url,
        headers: { 'x-api-key': WALLET_KEY, authorization: `Bearer ${accessToken}` },
        payload,
      });
    // Twice: starting again replaces the pending secret.
    await asUser('POST', '/v1/accounts/me/totp');
    const secret = base32Decode((await asUser('POST', '/v1/accounts/me/totp')).json().secret);
    const confirmed = await asUser('POST', '/v1/accounts/me/totp/confirm', { code: totpAt(secret, new Date()) });
    const { recoveryCodes } = confirmed.json();
    expect(recoveryCodes).toHaveLength(10);
    const second = async (proof: object) => {
      const { mfaToken } = (await call('/v1/sessions', { email, password })).json();
      return call('/v1/sessions/mfa', { mfaToken, ...proof });
    };
    // One step ahead: the confirming code's step is used.
    expect((await second({ code: totpAt(secret, new Date(), 1) })).statusCode).toBe(200);
    expect((await second({ recoveryCode: recoveryCodes[0] })).statusCode).toBe(200);
    expect((await second({ recoveryCode: recoveryCodes[0] })).statusCode).toBe(401);
    const regenerated = await asUser('POST', '/v1/accounts/me/recovery-codes', { recoveryCode: recoveryCodes[1] });
    expect(regenerated.json().recoveryCodes).toHaveLength(10);
    const off = await asUser('DELETE', '/v1/accounts/me/totp', {
      password,
      recoveryCode: regenerated.json().recoveryCodes[0],
    });
    expect(off.statusCode).toBe(204);
    expect((await call('/v1/sessions', { email, password })).json()).toHaveProperty('accessToken');
  });
});
