import { z } from 'zod';
import { holidays, priorityCalendars, type SlaCalendarDefaults, timeZone, weeklyHours } from './cases-calendars';
import { commonShape, toCommonConfig } from './common';
import { apiKeys, booleanFlag, port, positiveInt, secret } from './fields';
import type { RuntimeMode } from './load-config';
import type { ServiceConfig } from './service';

export type { SlaCalendarDefaults } from './cases-calendars';

export type Priority = 'P1' | 'P2' | 'P3' | 'P4';
/** Minutes per priority. */
export type SlaTable = Record<Priority, number>;

export interface CasesConfig extends ServiceConfig {
  service: 'support-cases';
  /** Where support-cases acts on accounts (unlock, freeze) and reads their status. */
  auth: { url: string; apiKey: string };
  /** Where support-cases reads flags and sends agents' transaction labels. */
  monitor: { url: string; apiKey: string };
  /**
   * Where support-cases reads the account's deliveries for the case page. Optional in effect: a
   * notifier that does not answer leaves that panel empty, never the case.
   */
  notifier: { url: string; apiKey: string };
  /**
   * Who may sign agent tokens: a JWKS of public keys, plus the expected issuer and audience, and
   * the longest lifetime (`exp` minus `iat`, or minus now without `iat`) a token may have.
   */
  agentTokens: {
    jwks: { keys: Record<string, unknown>[] };
    issuer: string;
    audience: string;
    usingDevKey: boolean;
    maxAgeSeconds: number;
  };
  sla: {
    firstResponseMinutes: SlaTable;
    resolutionMinutes: SlaTable;
    checkIntervalMs: number;
    /** The calendar settings saved as version 1 on first use (supervisors change them by API). */
    defaultCalendars: SlaCalendarDefaults;
  };
  /** Who is alerted when a P1 or P2 misses its first response (null: the event carries no address). */
  escalation: { onCallEmail: string | null };
  assignment: { auto: boolean; maxOpenPerAgent: number };
  /** How long a resolved case's customer may rate it, in days (CASES_SATISFACTION_EXPIRY_DAYS). */
  satisfaction: { expiryDays: number };
}

/**
 * The development signing key for agent tokens (Ed25519). `pnpm agent-token` signs with its
 * private half, which is useless in production: production refuses this public key.
 */
export const DEV_AGENT_PUBLIC_JWK = {
  kty: 'OKP',
  crv: 'Ed25519',
  x: 'LmsZ_W6VKwWiYoye2EnC_tokg4HoyrCACyUpixxRaAY',
  kid: 'dev-agent-key',
  alg: 'EdDSA',
} as const;

const DURATION = /^(\d+)(m|h|d)$/;
const MINUTES = { m: 1, h: 60, d: 1440 } as const;

/** "P1=15m,P2=1h,P3=4h,P4=24h": every priority, each a whole number of minutes, hours or days. */
const slaTable = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx): SlaTable => {
      const table: Partial<SlaTable> = {};
      for (const part of v.split(',')) {
        const [priority, duration] = part.trim().split('=');
        const match = DURATION.exec(duration ?? '');
        if (!priority || !['P1', 'P2', 'P3', 'P4'].includes(priority) || !match) {
          ctx.addIssue({ code: 'custom', message: 'must look like P1=15m,P2=1h,P3=4h,P4=24h (m, h or d)' });
          return z.NEVER;
        }
        table[priority as Priority] = Number(match[1]) * MINUTES[match[2] as keyof typeof MINUTES];
      }
      if (Object.keys(table).length !== 4) {
        ctx.addIssue({ code: 'custom', message: 'must give all four priorities P1 to P4' });
        return z.NEVER;
      }
      return table as SlaTable;
    });

const agentJwks = (mode: RuntimeMode) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v || v.trim() === '') {
        if (mode === 'production') {
          ctx.addIssue({ code: 'custom', message: 'is required in production (the development key is refused)' });
          return z.NEVER;
        }
        return { keys: [DEV_AGENT_PUBLIC_JWK as Record<string, unknown>], usingDevKey: true };
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(v);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON Web Key Set: {"keys":[...]}' });
        return z.NEVER;
      }
      const keys = (parsed as { keys?: unknown }).keys;
      if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => k && typeof k === 'object' && 'kty' in k)) {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON Web Key Set with at least one key' });
        return z.NEVER;
      }
      if (keys.some((k) => 'd' in k)) {
        ctx.addIssue({ code: 'custom', message: 'must hold public keys only' });
        return z.NEVER;
      }
      if (mode === 'production' && keys.some((k) => k.x === DEV_AGENT_PUBLIC_JWK.x)) {
        ctx.addIssue({ code: 'custom', message: 'holds the development key; production needs keys of its own' });
        return z.NEVER;
      }
      return { keys: keys as Record<string, unknown>[], usingDevKey: false };
    });

/** Every variable the support-cases service reads. */
export const casesConfigSchema = (mode: RuntimeMode): z.ZodType<CasesConfig> =>
  z
    .object({
      ...commonShape,
      CASES_PORT: port(4003),
      CASES_API_KEYS: apiKeys(mode),
      CASES_AUTH_URL: z.url({ message: 'must be an http(s) URL' }).default('http://127.0.0.1:4001'),
      // The key support-cases presents to auth's internal API (scope internal).
      CASES_AUTH_API_KEY: secret(mode, 'dev-internal-key'),
      CASES_MONITOR_URL: z.url({ message: 'must be an http(s) URL' }).default('http://127.0.0.1:4002'),
      CASES_MONITOR_API_KEY: secret(mode, 'dev-internal-key'),
      // The notifier's delivery status for the case page ("I never got the e-mail" is what a
      // locked-out customer says first). Nothing but that panel depends on it: when the notifier
      // does not answer, the case page says so and everything else works.
      CASES_NOTIFIER_URL: z.url({ message: 'must be an http(s) URL' }).default('http://127.0.0.1:4004'),
      // The key support-cases presents to the notifier's internal API (scope internal); a secret
      // like the other internal keys, since the deliveries name the customer's (masked) address.
      CASES_NOTIFIER_API_KEY: secret(mode, 'dev-internal-key'),
      CASES_AGENT_JWKS: agentJwks(mode),
      CASES_AGENT_TOKEN_ISSUER: z.string().min(1).default('wallet-guard-dev'),
      CASES_AGENT_TOKEN_AUDIENCE: z.string().min(1).default('support-cases'),
      // The longest an agent token may live (a shift, 12 h by default). Tokens without `exp`, or
      // whose `exp` lies further out than this, are refused: a leaked token must stop working on
      // its own. 12 h is the reauthentication period of OWASP ASVS 4.0 V3.3.2 (L2) and NIST SP
      // 800-63B 4.2.3 (AAL2).
      CASES_AGENT_TOKEN_MAX_AGE_SECONDS: positiveInt(43_200),
      CASES_SLA_FIRST_RESPONSE: slaTable('P1=15m,P2=1h,P3=4h,P4=24h'),
      CASES_SLA_RESOLUTION: slaTable('P1=4h,P2=24h,P3=72h,P4=7d'),
      // The business calendar P2-P4 count in by default (P1 is 24/7): only the first start of
      // the service reads these, saving them as version 1 of the calendar settings; after that
      // supervisors change calendars through the API (versioned, audited) and these are ignored.
      CASES_BUSINESS_TIME_ZONE: timeZone('UTC'),
      CASES_BUSINESS_HOURS: weeklyHours('mon-fri=09:00-17:00'),
      CASES_BUSINESS_HOLIDAYS: holidays,
      CASES_SLA_CALENDARS: priorityCalendars('P1=always,P2=business,P3=business,P4=business'),
      // Where the alert goes when a P1 or P2 misses its first response and is sent to the
      // supervisors' queue (carried in the sla.escalated event for the notifier). Unset: the event
      // still goes out, without an address.
      CASES_ONCALL_EMAIL: z.preprocess(
        (v) => (v === '' ? undefined : v),
        z.email({ message: 'must be an e-mail address' }).optional(),
      ),
      // How often breached SLAs are looked for; a breach is flagged at most this late.
      CASES_SLA_CHECK_INTERVAL_MS: positiveInt(30_000),
      // Round-robin assignment of new cases to available agents; off: agents claim from the queue.
      CASES_AUTO_ASSIGN: booleanFlag(false),
      CASES_AGENT_MAX_OPEN_CASES: positiveInt(10),
      // How many days after a customer-facing case is resolved its customer may still rate it
      // (portal and e-mail); later answers are refused (410 CASE_SATISFACTION_EXPIRED). Two weeks
      // by default: long enough for someone back from a trip, short enough that the rating is
      // still about this case.
      CASES_SATISFACTION_EXPIRY_DAYS: positiveInt(14),
    })
    .transform((env) => ({
      ...toCommonConfig(env, mode, 'support-cases'),
      service: 'support-cases' as const,
      port: env.CASES_PORT,
      apiKeys: env.CASES_API_KEYS,
      auth: { url: env.CASES_AUTH_URL.replace(/\/$/, ''), apiKey: env.CASES_AUTH_API_KEY },
      monitor: { url: env.CASES_MONITOR_URL.replace(/\/$/, ''), apiKey: env.CASES_MONITOR_API_KEY },
      notifier: { url: env.CASES_NOTIFIER_URL.replace(/\/$/, ''), apiKey: env.CASES_NOTIFIER_API_KEY },
      agentTokens: {
        jwks: { keys: env.CASES_AGENT_JWKS.keys },
        usingDevKey: env.CASES_AGENT_JWKS.usingDevKey,
        issuer: env.CASES_AGENT_TOKEN_ISSUER,
        audience: env.CASES_AGENT_TOKEN_AUDIENCE,
        maxAgeSeconds: env.CASES_AGENT_TOKEN_MAX_AGE_SECONDS,
      },
      sla: {
        firstResponseMinutes: env.CASES_SLA_FIRST_RESPONSE,
        resolutionMinutes: env.CASES_SLA_RESOLUTION,
        checkIntervalMs: env.CASES_SLA_CHECK_INTERVAL_MS,
        defaultCalendars: {
          calendars: {
            business: {
              timeZone: env.CASES_BUSINESS_TIME_ZONE,
              weeklyHours: env.CASES_BUSINESS_HOURS,
              holidays: env.CASES_BUSINESS_HOLIDAYS,
            },
          },
          priorities: env.CASES_SLA_CALENDARS,
        },
      },
      escalation: { onCallEmail: env.CASES_ONCALL_EMAIL ?? null },
      assignment: { auto: env.CASES_AUTO_ASSIGN, maxOpenPerAgent: env.CASES_AGENT_MAX_OPEN_CASES },
      satisfaction: { expiryDays: env.CASES_SATISFACTION_EXPIRY_DAYS },
    }));
