import { z } from 'zod';
import { commonShape, toCommonConfig } from './common';
import { apiKeys, booleanFlag, port, positiveInt } from './fields';
import type { RuntimeMode } from './load-config';
import type { ServiceConfig } from './service';

export interface MonitorConfig extends ServiceConfig {
  service: 'transaction-monitor';
  rules: {
    /** Unset: the rules file shipped with the service. */
    file: string | undefined;
    /** Reload when the file changes (SIGHUP reloads either way). */
    watch: boolean;
  };
  /** Scores at or above `review` need a look; at or above `theft` the account looks stolen. */
  decision: { review: number; theft: number };
  /** Freeze accounts with suspected theft through auth's internal API (off: a case and an agent decide). */
  autoFreeze: { enabled: boolean; authUrl: string; apiKey: string };
  consumer: { partitionsConcurrently: number; chunkSize: number };
  /** Days processed transaction ids and security events are kept (the redelivery window). */
  retentionDays: number;
  /**
   * A security event that arrives after transactions it preceded rescores the account's
   * transactions of the `latenessMs` after it (0: never).
   */
  rescoring: { latenessMs: number };
  /** Bounds of a backtest run from the console (`POST /v1/backtests`); the CLI has none. */
  backtest: { maxDays: number; maxTransactions: number };
  /** Payment confirmation (auth's confirmation tokens, bound to one transaction). */
  confirmation: {
    /** The lowest decision at which a score asks the wallet for the owner's confirmation; `never`: none does. */
    requiredAt: 'review' | 'block' | 'never';
    /** auth's JSON Web Key Set, which verifies confirmation tokens. */
    jwksUrl: string;
  };
}

const DEV_INTERNAL_KEY = 'dev-internal-key';

/** `NAME=` in an env file (docker compose passes it as an empty string) means unset. */
const emptyAsUnset = (v: unknown) => (v === '' ? undefined : v);

const score = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be between 1 and 100' })
    .max(100, { message: 'must be between 1 and 100' })
    .default(fallback);

/** Every variable the transaction monitor reads. */
export const monitorConfigSchema = (mode: RuntimeMode): z.ZodType<MonitorConfig> =>
  z
    .object({
      ...commonShape,
      MONITOR_PORT: port(4002),
      MONITOR_API_KEYS: apiKeys(mode),
      // Rules, weights and thresholds change without a redeploy: point this at your own file.
      MONITOR_RULES_FILE: z
        .string()
        .optional()
        .transform((v) => (v ? v : undefined)),
      // Watching needs a file system that reports changes; turn it off where it does not (some mounts).
      MONITOR_RULES_WATCH: booleanFlag(true),
      MONITOR_REVIEW_THRESHOLD: score(30),
      MONITOR_THEFT_THRESHOLD: score(70),
      MONITOR_AUTO_FREEZE: booleanFlag(false),
      MONITOR_AUTH_URL: z.url({ message: 'must be an http(s) URL' }).default('http://127.0.0.1:4001'),
      // The key the monitor presents to auth's internal API (scope internal); only used with auto-freeze.
      MONITOR_AUTH_API_KEY: z.string().optional(),
      // Kafka partitions applied in parallel, each in its own database transaction (order per partition is kept).
      MONITOR_CONSUMER_PARTITIONS: positiveInt(3),
      // Transactions per database transaction: larger chunks mean fewer round trips and longer-held
      // profile locks. 2000 is about one Kafka fetch of one partition (1 MB).
      MONITOR_CONSUMER_CHUNK_SIZE: positiveInt(2000).pipe(z.number().max(10_000, { message: 'must be at most 10000' })),
      // Longer than Kafka's retention, so a redelivered transaction is still recognised.
      MONITOR_RETENTION_DAYS: positiveInt(30),
      // Kafka orders nothing across topics: a security event (a 2FA change) can reach the monitor
      // after a payment it preceded. It rescores the account's transactions of this many seconds
      // after it (a risen decision is announced); 0 turns that off. At most a day: the takeover
      // rule looks back 24 hours at most.
      MONITOR_RESCORE_LATENESS_SECONDS: z.coerce
        .number({ message: 'must be a number' })
        .int({ message: 'must be a whole number' })
        .min(0, { message: 'must be between 0 and 86400' })
        .max(86_400, { message: 'must be between 0 and 86400' })
        .default(300),
      // A backtest from the console replays in the monitor's own process (in memory, yielding to the
      // consumers): these bound the period (days) and its stored transactions. Larger runs: `pnpm backtest`.
      MONITOR_BACKTEST_MAX_DAYS: positiveInt(31),
      MONITOR_BACKTEST_MAX_TRANSACTIONS: positiveInt(200_000),
      // From which decision POST /v1/score tells the wallet to have the owner confirm the payment
      // (PSD2 strong customer authentication with dynamic linking): review (default) asks on every
      // payment that would need a look; block only on suspected theft; never leaves it to the wallet.
      MONITOR_CONFIRMATION_REQUIRED_AT: z.preprocess(
        emptyAsUnset,
        z.enum(['review', 'block', 'never'], { message: 'must be review, block or never' }).default('review'),
      ),
      // Where auth publishes the keys that sign confirmation tokens. Unset: MONITOR_AUTH_URL's
      // /.well-known/jwks.json (the auth in the same process under npm start).
      MONITOR_AUTH_JWKS_URL: z.preprocess(
        emptyAsUnset,
        z
          .url({ message: 'must be an http(s) URL' })
          .refine((v) => /^https?:\/\//.test(v), { message: 'must be an http(s) URL' })
          .optional(),
      ),
    })
    .superRefine((env, ctx) => {
      if (env.MONITOR_REVIEW_THRESHOLD >= env.MONITOR_THEFT_THRESHOLD) {
        ctx.addIssue({
          code: 'custom',
          path: ['MONITOR_REVIEW_THRESHOLD'],
          message: 'must be lower than MONITOR_THEFT_THRESHOLD',
        });
      }
      const key = env.MONITOR_AUTH_API_KEY;
      if (mode === 'production' && env.MONITOR_AUTO_FREEZE && (!key || key === DEV_INTERNAL_KEY)) {
        ctx.addIssue({
          code: 'custom',
          path: ['MONITOR_AUTH_API_KEY'],
          message: 'is required in production when MONITOR_AUTO_FREEZE is on (the development key is refused)',
        });
      }
    })
    .transform((env) => ({
      ...toCommonConfig(env, mode, 'transaction-monitor'),
      service: 'transaction-monitor' as const,
      port: env.MONITOR_PORT,
      apiKeys: env.MONITOR_API_KEYS,
      rules: { file: env.MONITOR_RULES_FILE, watch: env.MONITOR_RULES_WATCH },
      decision: { review: env.MONITOR_REVIEW_THRESHOLD, theft: env.MONITOR_THEFT_THRESHOLD },
      autoFreeze: {
        enabled: env.MONITOR_AUTO_FREEZE,
        authUrl: env.MONITOR_AUTH_URL.replace(/\/$/, ''),
        apiKey: env.MONITOR_AUTH_API_KEY || DEV_INTERNAL_KEY,
      },
      consumer: {
        partitionsConcurrently: env.MONITOR_CONSUMER_PARTITIONS,
        chunkSize: env.MONITOR_CONSUMER_CHUNK_SIZE,
      },
      retentionDays: env.MONITOR_RETENTION_DAYS,
      rescoring: { latenessMs: env.MONITOR_RESCORE_LATENESS_SECONDS * 1000 },
      backtest: { maxDays: env.MONITOR_BACKTEST_MAX_DAYS, maxTransactions: env.MONITOR_BACKTEST_MAX_TRANSACTIONS },
      confirmation: {
        requiredAt: env.MONITOR_CONFIRMATION_REQUIRED_AT,
        jwksUrl: env.MONITOR_AUTH_JWKS_URL ?? `${env.MONITOR_AUTH_URL.replace(/\/$/, '')}/.well-known/jwks.json`,
      },
    }));
