import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './load-config';
import { monitorConfigSchema } from './monitor';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    parseConfig(monitorConfigSchema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('monitor config', () => {
  it('defaults: shipped rules watched, review at 30, theft at 70, no auto-freeze, 3 partitions in chunks of 2000', () => {
    const config = parseConfig(monitorConfigSchema, {});
    expect(config.rules).toEqual({ file: undefined, watch: true });
    expect(config.decision).toEqual({ review: 30, theft: 70 });
    expect(config.autoFreeze).toEqual({ enabled: false, authUrl: 'http://127.0.0.1:4001', apiKey: 'dev-internal-key' });
    expect(config.consumer).toEqual({ partitionsConcurrently: 3, chunkSize: 2000 });
    expect(config.retentionDays).toBe(30);
    expect(config.rescoring).toEqual({ latenessMs: 300_000 });
  });

  it('rescores late security events over MONITOR_RESCORE_LATENESS_SECONDS (0 turns it off, at most a day)', () => {
    expect(parseConfig(monitorConfigSchema, { MONITOR_RESCORE_LATENESS_SECONDS: '0' }).rescoring).toEqual({
      latenessMs: 0,
    });
    expect(parseConfig(monitorConfigSchema, { MONITOR_RESCORE_LATENESS_SECONDS: '900' }).rescoring).toEqual({
      latenessMs: 900_000,
    });
    expect(problemsOf({ MONITOR_RESCORE_LATENESS_SECONDS: '86401' })).toEqual([
      'MONITOR_RESCORE_LATENESS_SECONDS: must be between 0 and 86400',
    ]);
    expect(problemsOf({ MONITOR_RESCORE_LATENESS_SECONDS: 'soon' }).map((p) => p.split(':')[0])).toEqual([
      'MONITOR_RESCORE_LATENESS_SECONDS',
    ]);
  });

  it('reads overrides', () => {
    const config = parseConfig(monitorConfigSchema, {
      MONITOR_RULES_FILE: '/etc/monitor/rules.yaml',
      MONITOR_RULES_WATCH: 'false',
      MONITOR_REVIEW_THRESHOLD: '40',
      MONITOR_THEFT_THRESHOLD: '85',
      MONITOR_AUTO_FREEZE: 'true',
      MONITOR_AUTH_URL: 'http://auth.internal:4001/',
      MONITOR_AUTH_API_KEY: 'a-long-internal-key',
      MONITOR_CONSUMER_PARTITIONS: '6',
      MONITOR_CONSUMER_CHUNK_SIZE: '1000',
    });
    expect(config.rules).toEqual({ file: '/etc/monitor/rules.yaml', watch: false });
    expect(config.decision).toEqual({ review: 40, theft: 85 });
    expect(config.autoFreeze).toEqual({
      enabled: true,
      authUrl: 'http://auth.internal:4001',
      apiKey: 'a-long-internal-key',
    });
    expect(config.consumer).toEqual({ partitionsConcurrently: 6, chunkSize: 1000 });
  });

  it("asks for payment confirmation from review by default, verified with MONITOR_AUTH_URL's JWKS unless set", () => {
    expect(parseConfig(monitorConfigSchema, {}).confirmation).toEqual({
      requiredAt: 'review',
      jwksUrl: 'http://127.0.0.1:4001/.well-known/jwks.json',
    });
    expect(
      parseConfig(monitorConfigSchema, { MONITOR_AUTH_URL: 'http://auth.internal:4001/' }).confirmation.jwksUrl,
    ).toBe('http://auth.internal:4001/.well-known/jwks.json');
    expect(
      parseConfig(monitorConfigSchema, {
        MONITOR_CONFIRMATION_REQUIRED_AT: 'block',
        MONITOR_AUTH_JWKS_URL: 'https://auth.example/keys.json',
      }).confirmation,
    ).toEqual({ requiredAt: 'block', jwksUrl: 'https://auth.example/keys.json' });
    // `NAME=` in an env file is unset.
    expect(
      parseConfig(monitorConfigSchema, { MONITOR_CONFIRMATION_REQUIRED_AT: '', MONITOR_AUTH_JWKS_URL: '' })
        .confirmation,
    ).toEqual({ requiredAt: 'review', jwksUrl: 'http://127.0.0.1:4001/.well-known/jwks.json' });
    expect(problemsOf({ MONITOR_CONFIRMATION_REQUIRED_AT: 'always' })).toEqual([
      'MONITOR_CONFIRMATION_REQUIRED_AT: must be review, block or never',
    ]);
    expect(problemsOf({ MONITOR_AUTH_JWKS_URL: 'ftp://auth/keys' }).map((p) => p.split(':')[0])).toEqual([
      'MONITOR_AUTH_JWKS_URL',
    ]);
  });

  it('names bad thresholds and the missing auth key of a production auto-freeze', () => {
    expect(problemsOf({ MONITOR_REVIEW_THRESHOLD: '70', MONITOR_THEFT_THRESHOLD: '60' })).toEqual([
      'MONITOR_REVIEW_THRESHOLD: must be lower than MONITOR_THEFT_THRESHOLD',
    ]);
    expect(
      problemsOf({
        MONITOR_THEFT_THRESHOLD: '101',
        MONITOR_AUTO_FREEZE: 'maybe',
        MONITOR_CONSUMER_CHUNK_SIZE: '50000',
      }).map((p) => p.split(':')[0]),
    ).toEqual(['MONITOR_THEFT_THRESHOLD', 'MONITOR_AUTO_FREEZE', 'MONITOR_CONSUMER_CHUNK_SIZE']);
    const production = {
      NODE_ENV: 'production',
      MONITOR_API_KEYS: `w:wallet:${'a'.repeat(64)}`,
      MONITOR_AUTO_FREEZE: 'true',
    };
    expect(problemsOf(production)).toEqual([
      'MONITOR_AUTH_API_KEY: is required in production when MONITOR_AUTO_FREEZE is on (the development key is refused)',
    ]);
    expect(problemsOf({ ...production, MONITOR_AUTH_API_KEY: 'dev-internal-key' })).toHaveLength(1);
    expect(problemsOf({ ...production, MONITOR_AUTH_API_KEY: 'a-real-key-for-auth' })).toEqual([]);
    expect(problemsOf({ ...production, MONITOR_AUTO_FREEZE: 'false' })).toEqual([]);
  });
});
