import { isIP } from 'node:net';
import { z } from 'zod';
import type { HttpConfig, OperationsConfig } from './common';
import { commonShape } from './common';
import { port, positiveInt, secret } from './fields';
import type { RuntimeMode } from './load-config';

/**
 * The account portal's settings. The portal keeps no database and reads no topic: everything it
 * knows about a customer comes from auth's public API, support-cases' customer routes and the
 * monitor's account routes, called with the portal's own API keys, and from the customer's
 * encrypted session cookie.
 */
export interface PortalConfig {
  service: 'account-portal';
  mode: RuntimeMode;
  logLevel: z.infer<typeof commonShape.LOG_LEVEL>;
  logFile: string | undefined;
  host: string;
  port: number;
  http: HttpConfig;
  operations: OperationsConfig;
  /** Auth's public API and the key (scope `wallet`) the portal presents to it. */
  auth: { url: string; apiKey: string };
  /** Support-cases' customer routes and the key (scope `wallet`) the portal presents to them. */
  cases: { url: string; apiKey: string };
  /** The monitor's account routes (a customer's recent transactions) and the key (scope `wallet`) it presents. */
  monitor: { url: string; apiKey: string };
  /**
   * How customers reach support besides the portal's own forms, shown on the help page as the
   * operator wrote them (unset: that channel is not offered).
   */
  support: { email: string | undefined; phoneHours: string | undefined };
  /**
   * Base64 of 32 bytes: encrypts and authenticates the session cookie (libsodium secretbox). Kept
   * as text because the config is deep-frozen and a Buffer cannot be.
   */
  sessionKeyBase64: string;
  /** Requests per minute one IP may send to the portal's form endpoints (on top of auth's own limits). */
  rateLimitPerMinute: number;
  /** Production: the cookie is `__Host-`-prefixed and `Secure` (the portal is behind HTTPS). */
  secureCookies: boolean;
  /**
   * Which proxies' `X-Forwarded-For` to believe (fastify's `trustProxy`): none (`false`), the
   * nearest N hops, or these addresses and CIDR ranges.
   */
  trustProxy: false | number | readonly string[];
}

/** The development session key: 32 zero-free bytes anyone can read here, refused in production. */
export const DEV_PORTAL_SESSION_KEY = Buffer.from('wallet-guard-portal-dev-key-32b!').toString('base64');

/** Base64 of exactly 32 bytes (after `secret()`, which refuses the development default in production). */
const sessionKey = (mode: RuntimeMode) =>
  secret(mode, DEV_PORTAL_SESSION_KEY).transform((v, ctx) => {
    const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(v) ? Buffer.from(v, 'base64') : Buffer.alloc(0);
    if (bytes.length !== 32) {
      ctx.addIssue({ code: 'custom', message: 'must be base64 of exactly 32 random bytes (openssl rand -base64 32)' });
      return z.NEVER;
    }
    return v;
  });

/** An IPv4 or IPv6 address, optionally with a CIDR prefix length. */
const isAddressOrRange = (value: string): boolean => {
  const [address = '', bits, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
};

/** Unset: no proxy; a whole number: that many hops; else a comma-separated list of addresses and ranges. */
const trustProxy = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx): false | number | string[] => {
    if (v === undefined || v === '') return false;
    if (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 10) return Number(v);
    const entries = v.split(',').map((e) => e.trim());
    if (entries.every(isAddressOrRange)) return entries;
    ctx.addIssue({
      code: 'custom',
      message:
        'must be a hop count (1-10) or comma-separated proxy addresses or CIDR ranges (trusting every sender would let anyone choose their IP)',
    });
    return z.NEVER;
  });

/** Every variable the account portal reads. */
export const portalConfigSchema = (mode: RuntimeMode): z.ZodType<PortalConfig> =>
  z
    .object({
      LOG_LEVEL: commonShape.LOG_LEVEL,
      LOG_FILE: commonShape.LOG_FILE,
      HTTP_REQUEST_TIMEOUT_MS: commonShape.HTTP_REQUEST_TIMEOUT_MS,
      HOST: commonShape.HOST,
      READINESS_ERROR_DETAILS: commonShape.READINESS_ERROR_DETAILS,
      // The port the notifier's links point at (NOTIFIER_LINK_BASE_URL): 4005 unless both change.
      PORTAL_PORT: port(4005),
      // The portal signs customers in, unlocks, resets and freezes through auth's public API only.
      PORTAL_AUTH_URL: z.url({ message: 'must be an http(s) URL' }).default('http://127.0.0.1:4001'),
      // The portal is one of auth's callers like the wallet backend: its own key, scope wallet.
      PORTAL_AUTH_API_KEY: secret(mode, 'dev-wallet-key'),
      // The help centre files and reads the signed-in customer's cases through support-cases'
      // customer routes (the wallet's own), with the portal's key of scope wallet.
      PORTAL_CASES_URL: z.url({ message: 'must be an http(s) URL' }).default('http://127.0.0.1:4003'),
      PORTAL_CASES_API_KEY: secret(mode, 'dev-wallet-key'),
      // A dispute names the transactions it is about: the form lists the customer's recent ones
      // from the transaction monitor (GET /v1/accounts/:accountId/transactions, scope wallet), and
      // checks each ticked one is the account's. Unreachable, the form falls back to typed ids.
      PORTAL_MONITOR_URL: z.url({ message: 'must be an http(s) URL' }).default('http://127.0.0.1:4002'),
      PORTAL_MONITOR_API_KEY: secret(mode, 'dev-wallet-key'),
      // The help page's other ways to reach support: an address customers may write to, and a
      // phone number with its opening hours as one line (e.g. "+44 20 7946 0000, Mon-Fri 9-17").
      // Shown as written, in every language; unset, the page offers only its own forms.
      PORTAL_SUPPORT_EMAIL: z.email({ message: 'must be an e-mail address' }).optional(),
      PORTAL_SUPPORT_PHONE_HOURS: z.string().trim().min(1).max(200).optional(),
      // The session lives in the customer's cookie, encrypted with this key; changing it signs
      // everyone out. Generate with `openssl rand -base64 32`.
      PORTAL_SESSION_KEY: sessionKey(mode),
      // Auth limits failed sign-ins per account and IP; this caps every form post per IP, so a
      // script cannot use the portal to hammer auth (or the password-strength check) faster.
      PORTAL_RATE_LIMIT_PER_MINUTE: positiveInt(60),
      // Behind a load balancer every request comes from its address: the per-IP limit would be
      // one bucket for everyone, and auth would see the proxy's IP. Name the proxies whose
      // X-Forwarded-For to believe (a hop count or their addresses); unset, the header is ignored.
      PORTAL_TRUST_PROXY: trustProxy,
    })
    .transform((env) => ({
      service: 'account-portal' as const,
      mode,
      logLevel: env.LOG_LEVEL,
      logFile: env.LOG_FILE,
      host: env.HOST,
      port: env.PORTAL_PORT,
      http: { requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS },
      operations: {
        // The portal holds no API keys of its own (nobody calls it but browsers): /metrics stays
        // open and must not be routed from outside; a key-protected scrape is phase 2.
        metricsScope: undefined,
        readinessErrors: env.READINESS_ERROR_DETAILS ?? mode !== 'production',
      },
      auth: { url: env.PORTAL_AUTH_URL.replace(/\/$/, ''), apiKey: env.PORTAL_AUTH_API_KEY },
      cases: { url: env.PORTAL_CASES_URL.replace(/\/$/, ''), apiKey: env.PORTAL_CASES_API_KEY },
      monitor: { url: env.PORTAL_MONITOR_URL.replace(/\/$/, ''), apiKey: env.PORTAL_MONITOR_API_KEY },
      support: { email: env.PORTAL_SUPPORT_EMAIL, phoneHours: env.PORTAL_SUPPORT_PHONE_HOURS },
      sessionKeyBase64: env.PORTAL_SESSION_KEY,
      rateLimitPerMinute: env.PORTAL_RATE_LIMIT_PER_MINUTE,
      secureCookies: mode === 'production',
      trustProxy: env.PORTAL_TRUST_PROXY,
    }));
