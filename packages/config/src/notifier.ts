import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { commonShape, toCommonConfig } from './common';
import { apiKeys, booleanFlag, port, positiveInt, secret } from './fields';
import type { RuntimeMode } from './load-config';
import type { ServiceConfig } from './service';

export interface NotifierConfig extends ServiceConfig {
  service: 'notifier';
  /**
   * Where e-mail goes: an SMTP server (`smtp://user:pass@host:587` upgrades with STARTTLS when
   * offered, `smtps://` is TLS from the first byte), or, unset outside production, the
   * development mailbox under `DATA_DIR/mailbox` (shown at `/dev/mailbox`).
   */
  email:
    | { kind: 'smtp'; url: string; from: string; requireTls: boolean }
    | { kind: 'dev-mailbox'; dir: string; from: string }
    | undefined;
  /** The wallet's own push or SMS gateway, signed per Standard Webhooks; unset: no webhook. */
  webhook: { url: string; secret: string } | undefined;
  /** The account portal the links open (`/unlock#token=...`). */
  linkBaseUrl: string;
  /** IANA time zone of dates and times in messages. */
  timeZone: string;
  /** Where case messages find the customer's address and language (auth's internal API). */
  auth: { url: string; apiKey: string };
  /** Attempts per delivery, and the backoff between them (exponential, each wait between half and all of its step). */
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  /** Longest one SMTP or webhook attempt may take. */
  sendTimeoutMs: number;
  /** Events older than this are recorded as failed, not sent (a first start reads days of retained events). */
  maxEventAgeSeconds: number;
}

/** `smtp://` or `smtps://` with a host; credentials optional. The URL is never echoed. */
const smtpUrl = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (!v || v.trim() === '') return undefined;
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an smtp:// or smtps:// URL' });
      return z.NEVER;
    }
    if (!['smtp:', 'smtps:'].includes(url.protocol) || url.hostname === '') {
      ctx.addIssue({ code: 'custom', message: 'must be an smtp:// or smtps:// URL with a host' });
      return z.NEVER;
    }
    return v;
  });

/** A Standard Webhooks secret: `whsec_` and base64 of at least 24 random bytes. */
const webhookSecret = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (!v || v === '') return undefined;
    const body = v.startsWith('whsec_') ? v.slice(6) : '';
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || Buffer.from(body, 'base64').length < 24) {
      ctx.addIssue({ code: 'custom', message: 'must be whsec_ followed by base64 of at least 24 random bytes' });
      return z.NEVER;
    }
    return v;
  });

const timeZone = z
  .string()
  .default('UTC')
  .refine(
    (v) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: v });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be an IANA time zone such as UTC or Asia/Shanghai' },
  );

/** Beside the embedded database; a database kept in memory gets a temporary folder. */
const mailboxDir = (dataDir: string) =>
  dataDir === ':memory:' ? join(tmpdir(), `wallet-guard-mailbox-${process.pid}`) : join(dataDir, 'mailbox');

/** Every variable the notifier reads. */
export const notifierConfigSchema = (mode: RuntimeMode): z.ZodType<NotifierConfig> =>
  z
    .object({
      ...commonShape,
      NOTIFIER_PORT: port(4004),
      NOTIFIER_API_KEYS: apiKeys(mode),
      NOTIFIER_SMTP_URL: smtpUrl,
      // The From of every e-mail; its domain should be one the SMTP server may send for (SPF, DKIM).
      NOTIFIER_FROM: z.string().trim().min(3).optional(),
      // Required in production unless SMTP is set; https there. Credentials in the URL are refused
      // (fetch would refuse every call): the signature authenticates the notifier.
      NOTIFIER_WEBHOOK_URL: z
        .url({ message: 'must be an http(s) URL' })
        .refine((v) => !/^[a-z]+:\/\/[^/]*@/i.test(v), { message: 'must not carry a user or password' })
        .optional(),
      NOTIFIER_WEBHOOK_SECRET: webhookSecret,
      // The account portal (the next service): links in messages open its pages.
      NOTIFIER_LINK_BASE_URL: z.url({ message: 'must be an http(s) URL' }).optional(),
      // smtp:// without STARTTLS would send the password and the links in clear: refused in
      // production unless turned off here (a relay on localhost).
      NOTIFIER_SMTP_REQUIRE_TLS: booleanFlag(mode === 'production'),
      NOTIFIER_TIME_ZONE: timeZone,
      NOTIFIER_AUTH_URL: z.url({ message: 'must be an http(s) URL' }).default('http://127.0.0.1:4001'),
      // The key the notifier presents to auth's internal API (scope internal) to address case messages.
      NOTIFIER_AUTH_API_KEY: secret(mode, 'dev-internal-key'),
      // 12 attempts with the default backoff wait about 18 minutes in all: a mail server that is
      // down for minutes loses nothing; one down for longer is an incident the metrics show.
      NOTIFIER_MAX_ATTEMPTS: positiveInt(12),
      NOTIFIER_RETRY_BASE_MS: positiveInt(1_000),
      NOTIFIER_RETRY_MAX_MS: positiveInt(300_000),
      // Below the 9 s a stopping process waits for work in hand: an attempt under way finishes.
      NOTIFIER_SEND_TIMEOUT_MS: positiveInt(8_000),
      // A day: an unlock or reset link is dead long before; a "was this you?" that late misleads.
      NOTIFIER_MAX_EVENT_AGE_SECONDS: positiveInt(86_400),
    })
    .superRefine((env, ctx) => {
      if ((env.NOTIFIER_WEBHOOK_URL === undefined) !== (env.NOTIFIER_WEBHOOK_SECRET === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['NOTIFIER_WEBHOOK_SECRET'],
          message: 'NOTIFIER_WEBHOOK_URL and NOTIFIER_WEBHOOK_SECRET go together: set both or neither',
        });
      }
      if (mode !== 'production') return;
      if (!env.NOTIFIER_SMTP_URL && !env.NOTIFIER_WEBHOOK_URL) {
        ctx.addIssue({
          code: 'custom',
          path: ['NOTIFIER_SMTP_URL'],
          message: 'is required in production unless NOTIFIER_WEBHOOK_URL is set (messages would go nowhere)',
        });
      }
      if (env.NOTIFIER_SMTP_URL && !env.NOTIFIER_FROM) {
        ctx.addIssue({ code: 'custom', path: ['NOTIFIER_FROM'], message: 'is required in production with SMTP' });
      }
      if (env.NOTIFIER_WEBHOOK_URL && !env.NOTIFIER_WEBHOOK_URL.startsWith('https://')) {
        ctx.addIssue({ code: 'custom', path: ['NOTIFIER_WEBHOOK_URL'], message: 'must be https:// in production' });
      }
      if (!env.NOTIFIER_LINK_BASE_URL?.startsWith('https://')) {
        ctx.addIssue({
          code: 'custom',
          path: ['NOTIFIER_LINK_BASE_URL'],
          message: "is required in production, as the account portal's https:// address (links in e-mails open it)",
        });
      }
    })
    .transform((env) => {
      const common = toCommonConfig(env, mode, 'notifier');
      const from = env.NOTIFIER_FROM ?? 'Wallet Guard <no-reply@wallet-guard.localhost>';
      const email: NotifierConfig['email'] = env.NOTIFIER_SMTP_URL
        ? { kind: 'smtp', url: env.NOTIFIER_SMTP_URL, from, requireTls: env.NOTIFIER_SMTP_REQUIRE_TLS }
        : mode === 'production'
          ? undefined
          : { kind: 'dev-mailbox', dir: mailboxDir(env.DATA_DIR), from };
      return {
        ...common,
        service: 'notifier' as const,
        port: env.NOTIFIER_PORT,
        apiKeys: env.NOTIFIER_API_KEYS,
        email,
        webhook:
          env.NOTIFIER_WEBHOOK_URL && env.NOTIFIER_WEBHOOK_SECRET
            ? { url: env.NOTIFIER_WEBHOOK_URL, secret: env.NOTIFIER_WEBHOOK_SECRET }
            : undefined,
        linkBaseUrl: (env.NOTIFIER_LINK_BASE_URL ?? 'http://localhost:4005').replace(/\/$/, ''),
        timeZone: env.NOTIFIER_TIME_ZONE,
        auth: { url: env.NOTIFIER_AUTH_URL.replace(/\/$/, ''), apiKey: env.NOTIFIER_AUTH_API_KEY },
        retry: {
          maxAttempts: env.NOTIFIER_MAX_ATTEMPTS,
          baseDelayMs: env.NOTIFIER_RETRY_BASE_MS,
          maxDelayMs: env.NOTIFIER_RETRY_MAX_MS,
        },
        sendTimeoutMs: env.NOTIFIER_SEND_TIMEOUT_MS,
        maxEventAgeSeconds: env.NOTIFIER_MAX_EVENT_AGE_SECONDS,
      };
    });
