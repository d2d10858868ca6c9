import { authConfigSchema, ConfigError, type Env, parseConfig } from '@wallet-guard/config';
import { describe, expect, it } from 'vitest';

const problems = (env: Env): string[] => {
  try {
    parseConfig(authConfigSchema, env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems].filter((p) => p.startsWith('AUTH_WEBAUTHN'));
    throw error;
  }
};
const production = {
  NODE_ENV: 'production',
  AUTH_API_KEYS: `w:wallet:${'a'.repeat(64)}`,
  AUTH_JWT_SIGNING_KEYS: JSON.stringify([{ kid: 'k1', jwk: { kty: 'OKP', crv: 'Ed25519', x: 'x', d: 'd' } }]),
  AUTH_TOTP_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
};

describe('passkey configuration', () => {
  it('defaults to the development portal on localhost, a 5-minute challenge and our name', () => {
    expect(parseConfig(authConfigSchema, {}).webauthn).toEqual({
      rpId: 'localhost',
      rpName: 'Wallet Guard',
      origins: ['http://localhost:4005'],
      challengeTtlSeconds: 300,
    });
    const custom = parseConfig(authConfigSchema, {
      AUTH_WEBAUTHN_RP_ID: 'Wallet.Example',
      AUTH_WEBAUTHN_ORIGINS: 'https://account.wallet.example, https://wallet.example',
      AUTH_WEBAUTHN_CHALLENGE_TTL_SECONDS: '120',
    }).webauthn;
    expect(custom).toMatchObject({
      rpId: 'wallet.example',
      origins: ['https://account.wallet.example', 'https://wallet.example'],
      challengeTtlSeconds: 120,
    });
  });

  it('requires the RP id and https origins in production (http only on localhost)', () => {
    expect(problems(production)).toEqual([
      'AUTH_WEBAUTHN_RP_ID: is required in production (the domain passkeys are bound to)',
      'AUTH_WEBAUTHN_ORIGINS: is required in production (the https origins of the portal)',
    ]);
    const withBoth = { ...production, AUTH_WEBAUTHN_RP_ID: 'wallet.example' };
    expect(problems({ ...withBoth, AUTH_WEBAUTHN_ORIGINS: 'http://account.wallet.example' })).toEqual([
      'AUTH_WEBAUTHN_ORIGINS: entry 1 must be https in production (or http://localhost)',
    ]);
    // A local compose of the production image: http on localhost is a secure context for browsers.
    expect(
      problems({ ...production, AUTH_WEBAUTHN_RP_ID: 'localhost', AUTH_WEBAUTHN_ORIGINS: 'http://localhost:4005' }),
    ).toEqual([]);
    expect(problems({ ...withBoth, AUTH_WEBAUTHN_ORIGINS: 'https://account.wallet.example' })).toEqual([]);
  });

  it('refuses origins that are not bare origins, or not within the RP id', () => {
    expect(problems({ AUTH_WEBAUTHN_ORIGINS: 'https://wallet.example/portal' })).toEqual([
      'AUTH_WEBAUTHN_ORIGINS: entry 1 must be an origin like https://wallet.example',
    ]);
    expect(problems({ AUTH_WEBAUTHN_ORIGINS: 'http://localhost:4005,ftp://localhost' })).toEqual([
      'AUTH_WEBAUTHN_ORIGINS: entry 2 must be an origin like https://wallet.example',
    ]);
    expect(problems({ AUTH_WEBAUTHN_ORIGINS: ' , ' })).toEqual([
      'AUTH_WEBAUTHN_ORIGINS: must list at least one origin',
    ]);
    expect(
      problems({ AUTH_WEBAUTHN_RP_ID: 'wallet.example', AUTH_WEBAUTHN_ORIGINS: 'https://wallet.example.evil.com' }),
    ).toEqual([
      'AUTH_WEBAUTHN_ORIGINS: https://wallet.example.evil.com is not within AUTH_WEBAUTHN_RP_ID (wallet.example)',
    ]);
    expect(problems({ AUTH_WEBAUTHN_RP_ID: 'https://wallet.example' })).toEqual([
      'AUTH_WEBAUTHN_RP_ID: must be a domain name like wallet.example',
    ]);
  });
});
