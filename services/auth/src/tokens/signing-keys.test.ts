import { generateKeyPairSync } from 'node:crypto';
import { authConfigSchema, ConfigError, parseConfig } from '@wallet-guard/config';
import { describe, expect, it } from 'vitest';
import { loadSigningKeys } from './signing-keys';

const problems = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

const ed = () => generateKeyPairSync('ed25519');

describe('signing keys and auth settings', () => {
  it('refuses to start production without signing keys; generates one elsewhere', () => {
    expect(problems(() => loadSigningKeys(undefined, 'production'))).toEqual([
      'AUTH_JWT_SIGNING_KEYS: is required in production',
    ]);
    const dev = loadSigningKeys(undefined, 'development');
    expect(dev.generated).toBe(true);
    expect(dev.all).toHaveLength(1);
  });

  it('reads JWK and PEM keys: the first signs, every key is published', () => {
    const current = ed();
    const previous = ed();
    const env = {
      AUTH_JWT_SIGNING_KEYS: JSON.stringify([
        { kid: 'k2', pem: current.privateKey.export({ format: 'pem', type: 'pkcs8' }) },
        { ...previous.publicKey.export({ format: 'jwk' }), kid: 'k1' },
      ]),
    };
    const keys = loadSigningKeys(parseConfig(authConfigSchema, env).tokens.signingKeys, 'production');
    expect([keys.current.kid, keys.all.map((k) => k.kid), keys.generated]).toEqual(['k2', ['k2', 'k1'], false]);
  });

  it('names the variable, never the key material, when a key is wrong', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pem = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    expect(problems(() => loadSigningKeys([{ kid: 'r', pem }], 'production'))).toEqual([
      'AUTH_JWT_SIGNING_KEYS: key 1 (kid "r") is not an Ed25519 key',
    ]);
    const publicOnly = JSON.stringify([{ kid: 'p', jwk: ed().publicKey.export({ format: 'jwk' }) }]);
    const found = problems(() => parseConfig(authConfigSchema, { AUTH_JWT_SIGNING_KEYS: publicOnly }));
    expect(found).toEqual(['AUTH_JWT_SIGNING_KEYS: the first key signs, so it must be a private key']);
    const garbage = problems(() => parseConfig(authConfigSchema, { AUTH_JWT_SIGNING_KEYS: '{not json' }));
    expect(garbage).toEqual(['AUTH_JWT_SIGNING_KEYS: must be a JSON array of keys']);
  });

  it('validates peppers and policy bounds, with OWASP argon2 parameters by default', () => {
    const defaults = parseConfig(authConfigSchema, {});
    expect(defaults.passwords.argon2).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    expect(defaults.passwords.policy).toEqual({
      minLength: 12,
      maxLength: 128,
      minStrength: 3,
      history: 5,
      requireComposition: false,
    });
    expect(defaults.lockout).toMatchObject({ threshold: 5, windowSeconds: 900, lockSeconds: 900, hardLockAfter: 3 });
    expect(problems(() => parseConfig(authConfigSchema, { AUTH_PASSWORD_PEPPERS: 'k1:c2hvcnQ=' }))).toEqual([
      'AUTH_PASSWORD_PEPPERS: entry 1 must look like id:<base64 of at least 32 bytes>',
    ]);
    expect(problems(() => parseConfig(authConfigSchema, { AUTH_PASSWORD_MIN_LENGTH: '200' }))).toEqual([
      'AUTH_PASSWORD_MIN_LENGTH: must not exceed the maximum',
    ]);
  });
});
