import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './load-config';
import { notifierConfigSchema } from './notifier';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    parseConfig(notifierConfigSchema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
/** What production requires besides the notifier's own variables. */
const PRODUCTION = {
  NODE_ENV: 'production',
  NOTIFIER_API_KEYS: `cases:internal:${'a'.repeat(64)}`,
  NOTIFIER_AUTH_API_KEY: 'a-real-internal-key-for-auth',
  NOTIFIER_LINK_BASE_URL: 'https://account.wallet.example',
};

describe('notifier config', () => {
  it('defaults: port 4004, the development mailbox under DATA_DIR, links to the portal on 4005, 12 attempts', () => {
    const config = parseConfig(notifierConfigSchema, { DATA_DIR: '/var/lib/wallet-guard' });
    expect(config.port).toBe(4004);
    expect(config.email).toEqual({
      kind: 'dev-mailbox',
      dir: '/var/lib/wallet-guard/mailbox',
      from: 'Wallet Guard <no-reply@wallet-guard.localhost>',
    });
    expect(config.webhook).toBeUndefined();
    expect(config.linkBaseUrl).toBe('http://localhost:4005');
    expect(config.retry).toEqual({ maxAttempts: 12, baseDelayMs: 1_000, maxDelayMs: 300_000 });
    expect(config.timeZone).toBe('UTC');
    expect(config.sendTimeoutMs).toBe(8_000);
    expect(config.maxEventAgeSeconds).toBe(86_400);
    const smtp = parseConfig(notifierConfigSchema, { NOTIFIER_SMTP_URL: 'smtp://localhost:1025' });
    expect(smtp.email).toMatchObject({ kind: 'smtp', requireTls: false });
  });

  it('reads SMTP, webhook and retry settings', () => {
    const config = parseConfig(notifierConfigSchema, {
      NOTIFIER_SMTP_URL: 'smtps://mailer:pw@smtp.example.com:465',
      NOTIFIER_FROM: 'Wallet <security@wallet.example>',
      NOTIFIER_WEBHOOK_URL: 'https://push.wallet.example/hooks',
      NOTIFIER_WEBHOOK_SECRET: SECRET,
      NOTIFIER_LINK_BASE_URL: 'https://account.wallet.example/',
      NOTIFIER_TIME_ZONE: 'Asia/Shanghai',
      NOTIFIER_MAX_ATTEMPTS: '5',
    });
    expect(config.email).toEqual({
      kind: 'smtp',
      url: 'smtps://mailer:pw@smtp.example.com:465',
      from: 'Wallet <security@wallet.example>',
      requireTls: false,
    });
    expect(config.webhook).toEqual({ url: 'https://push.wallet.example/hooks', secret: SECRET });
    expect(config.linkBaseUrl).toBe('https://account.wallet.example');
    expect(config.timeZone).toBe('Asia/Shanghai');
    expect(config.retry.maxAttempts).toBe(5);
  });

  it('refuses to start in production with neither SMTP nor a webhook, or SMTP without a From', () => {
    expect(problemsOf(PRODUCTION)).toEqual([expect.stringMatching(/^NOTIFIER_SMTP_URL: is required in production/)]);
    expect(problemsOf({ ...PRODUCTION, NOTIFIER_SMTP_URL: 'smtp://smtp.example.com:587' })).toEqual([
      expect.stringMatching(/^NOTIFIER_FROM: is required in production/),
    ]);
    expect(
      problemsOf({ ...PRODUCTION, NOTIFIER_SMTP_URL: 'smtp://smtp.example.com:587', NOTIFIER_FROM: 'a@b.example' }),
    ).toEqual([]);
    const webhookOnly = parseConfig(notifierConfigSchema, {
      ...PRODUCTION,
      NOTIFIER_WEBHOOK_URL: 'https://push.wallet.example/hooks',
      NOTIFIER_WEBHOOK_SECRET: SECRET,
    });
    // No development mailbox in production: e-mail is off, the webhook carries everything.
    expect(webhookOnly.email).toBeUndefined();
  });

  it('in production: STARTTLS required by default, https for the webhook and the portal links', () => {
    const smtp = { ...PRODUCTION, NOTIFIER_SMTP_URL: 'smtp://smtp.example.com:587', NOTIFIER_FROM: 'a@b.example' };
    expect(parseConfig(notifierConfigSchema, smtp).email).toMatchObject({ requireTls: true });
    expect(parseConfig(notifierConfigSchema, { ...smtp, NOTIFIER_SMTP_REQUIRE_TLS: 'false' }).email).toMatchObject({
      requireTls: false,
    });
    const { NOTIFIER_LINK_BASE_URL: _, ...withoutLinks } = smtp;
    expect(problemsOf(withoutLinks)).toEqual([
      expect.stringMatching(/^NOTIFIER_LINK_BASE_URL: is required in production/),
    ]);
    expect(problemsOf({ ...smtp, NOTIFIER_LINK_BASE_URL: 'http://account.wallet.example' })).toEqual([
      expect.stringMatching(/^NOTIFIER_LINK_BASE_URL: /),
    ]);
    expect(
      problemsOf({
        ...PRODUCTION,
        NOTIFIER_WEBHOOK_URL: 'http://push.wallet.example/hooks',
        NOTIFIER_WEBHOOK_SECRET: SECRET,
      }),
    ).toEqual(['NOTIFIER_WEBHOOK_URL: must be https:// in production']);
  });

  it('names each bad variable without echoing secrets', () => {
    const problems = problemsOf({
      NOTIFIER_SMTP_URL: 'http://user:hunter2-secret@mail.example.com',
      NOTIFIER_WEBHOOK_URL: 'https://push.wallet.example/hooks',
      NOTIFIER_TIME_ZONE: 'Mars/Olympus_Mons',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^NOTIFIER_SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/),
        expect.stringMatching(/^NOTIFIER_TIME_ZONE: must be an IANA time zone/),
      ]),
    );
    expect(problems.join('\n')).not.toContain('hunter2-secret');
    expect(problemsOf({ NOTIFIER_WEBHOOK_URL: 'https://push.wallet.example/hooks' })).toEqual([
      expect.stringMatching(/^NOTIFIER_WEBHOOK_SECRET: .*set both or neither/),
    ]);
    expect(
      problemsOf({ NOTIFIER_WEBHOOK_URL: 'https://push.wallet.example/hooks', NOTIFIER_WEBHOOK_SECRET: 'whsec_short' }),
    ).toEqual([expect.stringMatching(/^NOTIFIER_WEBHOOK_SECRET: must be whsec_/)]);
    // fetch refuses URLs with credentials: every message would fail, so the start does.
    expect(
      problemsOf({
        NOTIFIER_WEBHOOK_URL: 'https://user:pw@push.wallet.example/hooks',
        NOTIFIER_WEBHOOK_SECRET: SECRET,
      }),
    ).toEqual(['NOTIFIER_WEBHOOK_URL: must not carry a user or password']);
  });
});
