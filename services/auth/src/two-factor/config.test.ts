import { authConfigSchema, ConfigError, DEV_TOTP_ENCRYPTION_KEYS, type Env, parseConfig } from '@wallet-guard/config';
import { describe, expect, it } from 'vitest';

const problems = (env: Env): string[] => {
  try {
    parseConfig(authConfigSchema, env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
};
const key = (fill: number, bytes = 32) => Buffer.alloc(bytes, fill).toString('base64');
const production = {
  NODE_ENV: 'production',
  AUTH_API_KEYS: `w:wallet:${'a'.repeat(64)}`,
  // Production refuses to start without signing keys too (checked with the other secrets).
  AUTH_JWT_SIGNING_KEYS: JSON.stringify([{ kid: 'k1', jwk: { kty: 'OKP', crv: 'Ed25519', x: 'x', d: 'd' } }]),
  AUTH_WEBAUTHN_RP_ID: 'wallet.example',
  AUTH_WEBAUTHN_ORIGINS: 'https://account.wallet.example',
};
const totpProblems = (env: Env) => problems(env).filter((p) => p.startsWith('AUTH_TOTP'));

describe('two-factor configuration', () => {
  it('has RFC 6238 defaults and the development key outside production', () => {
    const { twoFactor } = parseConfig(authConfigSchema, {});
    expect(twoFactor).toEqual({
      issuer: 'Wallet Guard',
      label: '{email}',
      driftSteps: 1,
      encryptionKeys: [{ id: 'dev', keyBase64: DEV_TOTP_ENCRYPTION_KEYS.slice(4) }],
      usingDevKey: true,
      enrolmentTtlSeconds: 900,
      mfaTokenTtlSeconds: 300,
      mfaTokenMaxAttempts: 5,
      emailCodeTtlSeconds: 600,
    });
  });

  it('refuses production without its own keys, or with the development key under any id', () => {
    expect(totpProblems(production)).toEqual(['AUTH_TOTP_ENCRYPTION_KEYS: is required in production']);
    expect(totpProblems({ ...production, AUTH_TOTP_ENCRYPTION_KEYS: DEV_TOTP_ENCRYPTION_KEYS })).toEqual([
      'AUTH_TOTP_ENCRYPTION_KEYS: still holds the development default; set a real secret',
    ]);
    const renamed = `new:${key(5)},old:${DEV_TOTP_ENCRYPTION_KEYS.slice(4)}`;
    expect(totpProblems({ ...production, AUTH_TOTP_ENCRYPTION_KEYS: renamed })).toEqual([
      'AUTH_TOTP_ENCRYPTION_KEYS: holds the development key; production needs keys of its own',
    ]);
    const config = parseConfig(authConfigSchema, {
      ...production,
      AUTH_TOTP_ENCRYPTION_KEYS: `k2:${key(2)},k1:${key(1)}`,
    });
    expect(config.twoFactor.encryptionKeys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(config.twoFactor.usingDevKey).toBe(false);
  });

  it('names the variable and the entry, never the key, when a value is wrong', () => {
    const short = key(7, 16);
    const found = [
      ...totpProblems({ AUTH_TOTP_ENCRYPTION_KEYS: `k1:${key(1)},k2:${short}` }),
      ...totpProblems({ AUTH_TOTP_ENCRYPTION_KEYS: `k1:${key(1)},k1:${key(2)}` }),
      ...totpProblems({ AUTH_TOTP_LABEL: 'Wallet' }),
      ...totpProblems({ AUTH_TOTP_DRIFT_STEPS: '6' }),
    ];
    expect(found).toEqual([
      'AUTH_TOTP_ENCRYPTION_KEYS: entry 2 must look like id:<base64 of exactly 32 bytes>',
      'AUTH_TOTP_ENCRYPTION_KEYS: has the same id twice',
      'AUTH_TOTP_LABEL: must contain {email}',
      'AUTH_TOTP_DRIFT_STEPS: must be between 0 and 5',
    ]);
    expect(found.join('\n')).not.toContain(short);
    expect(found.join('\n')).not.toContain(key(1));
  });
});
