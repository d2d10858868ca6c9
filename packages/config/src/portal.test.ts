import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './load-config';
import { DEV_PORTAL_SESSION_KEY, portalConfigSchema } from './portal';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    parseConfig(portalConfigSchema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

const REAL_KEY = Buffer.alloc(32, 7).toString('base64');

describe('portal config', () => {
  it('defaults: port 4005, auth on 4001 with the development wallet key, 60 posts a minute, plain cookies', () => {
    const config = parseConfig(portalConfigSchema, {});
    expect(config.port).toBe(4005);
    expect(config.auth).toEqual({ url: 'http://127.0.0.1:4001', apiKey: 'dev-wallet-key' });
    expect(config.cases).toEqual({ url: 'http://127.0.0.1:4003', apiKey: 'dev-wallet-key' });
    expect(config.monitor).toEqual({ url: 'http://127.0.0.1:4002', apiKey: 'dev-wallet-key' });
    expect(config.support).toEqual({ email: undefined, phoneHours: undefined });
    expect(config.sessionKeyBase64).toBe(DEV_PORTAL_SESSION_KEY);
    expect(Buffer.from(config.sessionKeyBase64, 'base64')).toHaveLength(32);
    expect(config.rateLimitPerMinute).toBe(60);
    expect(config.secureCookies).toBe(false);
  });

  it('reads every PORTAL_ variable and drops a trailing slash from the auth URL', () => {
    const config = parseConfig(portalConfigSchema, {
      PORTAL_PORT: '8080',
      PORTAL_AUTH_URL: 'https://auth.internal/',
      PORTAL_AUTH_API_KEY: 'a-real-wallet-scope-key',
      PORTAL_SESSION_KEY: REAL_KEY,
      PORTAL_RATE_LIMIT_PER_MINUTE: '10',
      PORTAL_CASES_URL: 'https://cases.internal/',
      PORTAL_CASES_API_KEY: 'a-real-cases-wallet-key',
      PORTAL_MONITOR_URL: 'https://monitor.internal/',
      PORTAL_MONITOR_API_KEY: 'a-real-monitor-wallet-key',
      PORTAL_SUPPORT_EMAIL: 'help@wallet.example',
      PORTAL_SUPPORT_PHONE_HOURS: ' +44 20 7946 0000, Mon-Fri 09:00-17:00 ',
    });
    expect(config.port).toBe(8080);
    expect(config.cases).toEqual({ url: 'https://cases.internal', apiKey: 'a-real-cases-wallet-key' });
    expect(config.monitor).toEqual({ url: 'https://monitor.internal', apiKey: 'a-real-monitor-wallet-key' });
    expect(config.support).toEqual({
      email: 'help@wallet.example',
      phoneHours: '+44 20 7946 0000, Mon-Fri 09:00-17:00',
    });
    expect(config.auth).toEqual({ url: 'https://auth.internal', apiKey: 'a-real-wallet-scope-key' });
    expect(config.sessionKeyBase64).toBe(REAL_KEY);
    expect(config.rateLimitPerMinute).toBe(10);
  });

  it('refuses a session key that is not base64 of exactly 32 bytes, without echoing it', () => {
    for (const bad of [Buffer.alloc(16, 1).toString('base64'), 'not base64 at all, but long enough']) {
      const problems = problemsOf({ PORTAL_SESSION_KEY: bad });
      expect(problems).toEqual([
        'PORTAL_SESSION_KEY: must be base64 of exactly 32 random bytes (openssl rand -base64 32)',
      ]);
      expect(problems.join()).not.toContain(bad);
    }
  });

  it('production: refuses the development secrets, needs both set, and turns on secure cookies', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'PORTAL_AUTH_API_KEY: is required in production',
      'PORTAL_CASES_API_KEY: is required in production',
      'PORTAL_MONITOR_API_KEY: is required in production',
      'PORTAL_SESSION_KEY: is required in production',
    ]);
    expect(
      problemsOf({
        NODE_ENV: 'production',
        PORTAL_AUTH_API_KEY: 'dev-wallet-key',
        PORTAL_CASES_API_KEY: 'dev-wallet-key',
        PORTAL_MONITOR_API_KEY: 'dev-wallet-key',
        PORTAL_SESSION_KEY: DEV_PORTAL_SESSION_KEY,
      }),
    ).toEqual([
      'PORTAL_AUTH_API_KEY: still holds the development default; set a real secret',
      'PORTAL_CASES_API_KEY: still holds the development default; set a real secret',
      'PORTAL_MONITOR_API_KEY: still holds the development default; set a real secret',
      'PORTAL_SESSION_KEY: still holds the development default; set a real secret',
    ]);
    const config = parseConfig(portalConfigSchema, {
      NODE_ENV: 'production',
      PORTAL_AUTH_API_KEY: 'a-real-wallet-scope-key',
      PORTAL_CASES_API_KEY: 'a-real-cases-wallet-key',
      PORTAL_MONITOR_API_KEY: 'a-real-monitor-wallet-key',
      PORTAL_SESSION_KEY: REAL_KEY,
    });
    expect(config.secureCookies).toBe(true);
  });

  it('refuses a bad port, URL and limit, naming each variable', () => {
    expect(
      problemsOf({
        PORTAL_PORT: 'x',
        PORTAL_AUTH_URL: 'not a url',
        PORTAL_CASES_URL: 'nope',
        PORTAL_MONITOR_URL: '//monitor.internal',
        PORTAL_SUPPORT_EMAIL: 'not-an-address',
        PORTAL_RATE_LIMIT_PER_MINUTE: '0',
      }),
    ).toEqual([
      'PORTAL_PORT: must be a port number',
      'PORTAL_AUTH_URL: must be an http(s) URL',
      'PORTAL_CASES_URL: must be an http(s) URL',
      'PORTAL_MONITOR_URL: must be an http(s) URL',
      'PORTAL_SUPPORT_EMAIL: must be an e-mail address',
      'PORTAL_RATE_LIMIT_PER_MINUTE: must be greater than 0',
    ]);
  });

  it("trusts no proxy unless told: a hop count or the proxies' addresses and ranges, never everyone", () => {
    expect(parseConfig(portalConfigSchema, {}).trustProxy).toBe(false);
    expect(parseConfig(portalConfigSchema, { PORTAL_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(
      parseConfig(portalConfigSchema, { PORTAL_TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,fd00::/8' }).trustProxy,
    ).toEqual(['10.0.0.0/8', '192.168.1.7', 'fd00::/8']);
    for (const bad of ['true', '0', '10.0.0.0/33', 'proxy.internal', '10.0.0.1,', '10.0.0.1/8/8']) {
      expect(problemsOf({ PORTAL_TRUST_PROXY: bad }), bad).toEqual([
        'PORTAL_TRUST_PROXY: must be a hop count (1-10) or comma-separated proxy addresses or CIDR ranges (trusting every sender would let anyone choose their IP)',
      ]);
    }
  });
});
