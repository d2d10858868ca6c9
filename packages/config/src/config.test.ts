import { describe, expect, it } from 'vitest';
import { authConfigSchema } from './auth';
import { casesConfigSchema } from './cases';
import { DEV_API_KEYS, sha256Hex } from './fields';
import { ConfigError, parseConfig } from './load-config';
import { monitorConfigSchema } from './monitor';
import { standaloneConfigSchema } from './standalone';

const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

const realKey = `wallet-backend:wallet:${sha256Hex('a-long-random-production-key')}`;
/** A syntactically valid Ed25519 private JWK (the config checks the shape; the service imports it). */
const SIGNING_KEYS = JSON.stringify([{ kid: 'k1', jwk: { kty: 'OKP', crv: 'Ed25519', x: 'x-part', d: 'd-part' } }]);

/** Passkeys need the portal's real domain and https origin in production. */
const WEBAUTHN = { AUTH_WEBAUTHN_RP_ID: 'wallet.example', AUTH_WEBAUTHN_ORIGINS: 'https://account.wallet.example' };

describe('service configs', () => {
  it('uses documented defaults in development: ports 4001-4003, embedded database, no broker, dev keys', () => {
    const auth = parseConfig(authConfigSchema, {});
    const monitor = parseConfig(monitorConfigSchema, {});
    const cases = parseConfig(casesConfigSchema, {});
    expect([auth.port, monitor.port, cases.port]).toEqual([4001, 4002, 4003]);
    expect(auth.database.url).toBeUndefined();
    expect(auth.database.dataDir).toBe('.data');
    expect(auth.kafka).toBeUndefined();
    expect(auth.apiKeys.usingDevKeys).toBe(true);
    expect(auth.apiKeys.keys.map((k) => k.sha256)).toEqual(DEV_API_KEYS.map((k) => sha256Hex(k.key)));
  });

  it('reads overrides: port, database URL, brokers with client id and topic prefix', () => {
    const config = parseConfig(monitorConfigSchema, {
      MONITOR_PORT: '5002',
      DATABASE_URL: 'postgres://u@db:5432/wallet',
      KAFKA_BROKERS: 'k1:9092, k2:9092',
      KAFKA_TOPIC_PREFIX: 'staging.',
    });
    expect(config.port).toBe(5002);
    expect(config.database.url).toBe('postgres://u@db:5432/wallet');
    expect(config.kafka).toEqual({
      brokers: ['k1:9092', 'k2:9092'],
      clientId: 'transaction-monitor',
      topicPrefix: 'staging.',
    });
  });

  it('names every bad variable, one problem per line, without echoing values', () => {
    const problems = problemsOf(() =>
      parseConfig(authConfigSchema, {
        AUTH_PORT: 'not-a-port',
        DATABASE_URL: 'mysql://secret-password@host/db',
        KAFKA_BROKERS: 'no port here',
        LOG_LEVEL: 'loud',
      }),
    );
    expect(problems).toHaveLength(4);
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'AUTH_PORT',
      'DATABASE_URL',
      'KAFKA_BROKERS',
      'LOG_LEVEL',
    ]);
    expect(problems.join('\n')).not.toContain('secret-password');
  });

  it('rejects an unknown NODE_ENV', () => {
    expect(problemsOf(() => parseConfig(casesConfigSchema, { NODE_ENV: 'staging' }))).toEqual([
      'NODE_ENV: must be one of development, test, production',
    ]);
  });

  it('refuses to run production on development keys', () => {
    expect(problemsOf(() => parseConfig(authConfigSchema, { NODE_ENV: 'production' }))).toEqual([
      'AUTH_API_KEYS: is required in production (development keys are refused)',
      'AUTH_JWT_SIGNING_KEYS: is required in production',
      'AUTH_TOTP_ENCRYPTION_KEYS: is required in production',
      'AUTH_WEBAUTHN_RP_ID: is required in production (the domain passkeys are bound to)',
      'AUTH_WEBAUTHN_ORIGINS: is required in production (the https origins of the portal)',
    ]);
    const devEntry = `w:wallet:${sha256Hex('dev-wallet-key')}`;
    expect(
      problemsOf(() => parseConfig(authConfigSchema, { NODE_ENV: 'production', AUTH_API_KEYS: devEntry }))[0],
    ).toMatch(/^AUTH_API_KEYS: holds a development key/);
    const totpKey = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
    const config = parseConfig(authConfigSchema, {
      NODE_ENV: 'production',
      AUTH_API_KEYS: realKey,
      AUTH_TOTP_ENCRYPTION_KEYS: totpKey,
      AUTH_JWT_SIGNING_KEYS: SIGNING_KEYS,
      ...WEBAUTHN,
    });
    expect(config.apiKeys).toEqual({
      usingDevKeys: false,
      keys: [{ name: 'wallet-backend', scopes: ['wallet'], sha256: sha256Hex('a-long-random-production-key') }],
    });
  });

  it('rejects a malformed API key entry by position', () => {
    expect(problemsOf(() => parseConfig(authConfigSchema, { AUTH_API_KEYS: `${realKey},broken` }))).toEqual([
      'AUTH_API_KEYS: entry 2 must look like name:scope+scope:<64 hex sha256>',
    ]);
  });

  it('closes /metrics (metrics scope) and /readyz error details in production, and opens them elsewhere', () => {
    const production = {
      NODE_ENV: 'production',
      AUTH_API_KEYS: realKey,
      AUTH_TOTP_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      AUTH_JWT_SIGNING_KEYS: SIGNING_KEYS,
      ...WEBAUTHN,
    };
    expect(parseConfig(authConfigSchema, production).operations).toEqual({
      metricsScope: 'metrics',
      readinessErrors: false,
    });
    expect(parseConfig(monitorConfigSchema, { NODE_ENV: 'production', MONITOR_API_KEYS: realKey }).operations).toEqual({
      metricsScope: 'metrics',
      readinessErrors: false,
    });
    expect(parseConfig(authConfigSchema, {}).operations).toEqual({ metricsScope: undefined, readinessErrors: true });
    const opened = { ...production, METRICS_REQUIRE_API_KEY: 'false', READINESS_ERROR_DETAILS: 'true' };
    expect(parseConfig(authConfigSchema, opened).operations).toEqual({
      metricsScope: undefined,
      readinessErrors: true,
    });
    expect(problemsOf(() => parseConfig(authConfigSchema, { METRICS_REQUIRE_API_KEY: 'sometimes' }))).toEqual([
      'METRICS_REQUIRE_API_KEY: must be true or false',
    ]);
  });

  it('counts IPv6 clients per /64 unless AUTH_IP_THROTTLE_IPV6_PREFIX says otherwise', () => {
    expect(parseConfig(authConfigSchema, {}).lockout.ipv6ThrottlePrefixBits).toBe(64);
    expect(parseConfig(authConfigSchema, { AUTH_IP_THROTTLE_IPV6_PREFIX: '48' }).lockout.ipv6ThrottlePrefixBits).toBe(
      48,
    );
    expect(problemsOf(() => parseConfig(authConfigSchema, { AUTH_IP_THROTTLE_IPV6_PREFIX: '8' }))).toEqual([
      'AUTH_IP_THROTTLE_IPV6_PREFIX: must be between 16 and 128',
    ]);
  });

  it('keeps a payment confirmation pending 5 minutes and its token 2 minutes unless told otherwise', () => {
    expect(parseConfig(authConfigSchema, {}).confirmations).toEqual({ ttlSeconds: 300, tokenTtlSeconds: 120 });
    expect(
      parseConfig(authConfigSchema, { AUTH_CONFIRMATION_TTL_SECONDS: '600', AUTH_CONFIRMATION_TOKEN_TTL_SECONDS: '60' })
        .confirmations,
    ).toEqual({ ttlSeconds: 600, tokenTtlSeconds: 60 });
    expect(
      problemsOf(() => parseConfig(authConfigSchema, { AUTH_CONFIRMATION_TOKEN_TTL_SECONDS: '0' })).map(
        (p) => p.split(':')[0],
      ),
    ).toEqual(['AUTH_CONFIRMATION_TOKEN_TTL_SECONDS']);
  });

  it('returns a frozen config', () => {
    const config = parseConfig(authConfigSchema, {});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
  });
});

describe('standalone config', () => {
  it('runs every service unless SERVICES narrows them', () => {
    expect(parseConfig(standaloneConfigSchema, {}).services).toEqual([
      'auth',
      'monitor',
      'cases',
      'notifier',
      'portal',
    ]);
    expect(parseConfig(standaloneConfigSchema, { SERVICES: 'auth, cases' }).services).toEqual(['auth', 'cases']);
    expect(problemsOf(() => parseConfig(standaloneConfigSchema, { SERVICES: 'auth,billing' }))).toEqual([
      'SERVICES: must be a comma-separated subset of auth,monitor,cases,notifier,portal',
    ]);
  });
});

describe('support-cases config', () => {
  it('parses SLA tables per priority in minutes, hours or days', () => {
    const config = parseConfig(casesConfigSchema, { CASES_SLA_RESOLUTION: 'P1=2h,P2=1d,P3=3d,P4=10080m' });
    expect(config.sla.firstResponseMinutes).toEqual({ P1: 15, P2: 60, P3: 240, P4: 1440 });
    expect(config.sla.resolutionMinutes).toEqual({ P1: 120, P2: 1440, P3: 4320, P4: 10080 });
    expect(problemsOf(() => parseConfig(casesConfigSchema, { CASES_SLA_FIRST_RESPONSE: 'P1=15m,P2=1h' }))).toEqual([
      'CASES_SLA_FIRST_RESPONSE: must give all four priorities P1 to P4',
    ]);
    expect(problemsOf(() => parseConfig(casesConfigSchema, { CASES_SLA_FIRST_RESPONSE: 'P1=soon' }))[0]).toMatch(
      /^CASES_SLA_FIRST_RESPONSE: must look like/,
    );
  });

  it('trusts the development agent key only outside production, and public keys only', () => {
    expect(parseConfig(casesConfigSchema, {}).agentTokens.usingDevKey).toBe(true);
    const production = problemsOf(() =>
      parseConfig(casesConfigSchema, {
        NODE_ENV: 'production',
        CASES_API_KEYS: realKey,
        CASES_AUTH_API_KEY: 'k'.repeat(32),
        CASES_MONITOR_API_KEY: 'm'.repeat(32),
        CASES_NOTIFIER_API_KEY: 'n'.repeat(32),
      }),
    );
    expect(production).toEqual(['CASES_AGENT_JWKS: is required in production (the development key is refused)']);
    const privateKey = JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc', d: 'secret' }] });
    expect(problemsOf(() => parseConfig(casesConfigSchema, { CASES_AGENT_JWKS: privateKey }))).toEqual([
      'CASES_AGENT_JWKS: must hold public keys only',
    ]);
    expect(
      problemsOf(() =>
        parseConfig(casesConfigSchema, { NODE_ENV: 'production', CASES_AUTH_API_KEY: 'dev-internal-key' }),
      ),
    ).toContain('CASES_AUTH_API_KEY: still holds the development default; set a real secret');
  });

  it("reads the notifier's deliveries at port 4004 with the internal dev key, a real key in production", () => {
    expect(parseConfig(casesConfigSchema, {}).notifier).toEqual({
      url: 'http://127.0.0.1:4004',
      apiKey: 'dev-internal-key',
    });
    expect(
      parseConfig(casesConfigSchema, {
        CASES_NOTIFIER_URL: 'http://notifier.internal:8080/',
        CASES_NOTIFIER_API_KEY: 'n'.repeat(32),
      }).notifier,
    ).toEqual({ url: 'http://notifier.internal:8080', apiKey: 'n'.repeat(32) });
    expect(problemsOf(() => parseConfig(casesConfigSchema, { CASES_NOTIFIER_URL: 'notifier port 4004' }))).toEqual([
      'CASES_NOTIFIER_URL: must be an http(s) URL',
    ]);
    const production = (env: Record<string, string>) =>
      problemsOf(() =>
        parseConfig(casesConfigSchema, {
          NODE_ENV: 'production',
          CASES_API_KEYS: realKey,
          CASES_AUTH_API_KEY: 'k'.repeat(32),
          CASES_MONITOR_API_KEY: 'm'.repeat(32),
          ...env,
        }),
      );
    expect(production({})).toContain('CASES_NOTIFIER_API_KEY: is required in production');
    expect(production({ CASES_NOTIFIER_API_KEY: 'dev-internal-key' })).toContain(
      'CASES_NOTIFIER_API_KEY: still holds the development default; set a real secret',
    );
  });
});
