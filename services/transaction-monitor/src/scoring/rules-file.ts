import { amountMinor } from '@wallet-guard/contracts';
import { z } from 'zod';
import { PROFILE_LIMITS } from '../profiles/profile-state';

/**
 * The rules file: versioned, every rule present (a typo is an error, not a silently missing
 * rule), every key known. Each rule has a mode (`live` counts toward the decision, `shadow` is
 * scored and stored but never acted on, `off`) and a weight: the points of a full-strength hit.
 */

/** Rule windows stop at 24 hours: that is what a profile remembers of recent transactions. */
const MAX_WINDOW_MINUTES = 1440;

/**
 * Counts of recent outgoing transactions stop at what a profile remembers of them (its latest
 * 200): a higher threshold could never be reached, and the rule would be silently dead.
 */
const recentCount = (min: number) =>
  z
    .number()
    .int()
    .min(min)
    .max(PROFILE_LIMITS.recentOutgoing, {
      message: `must be at most ${PROFILE_LIMITS.recentOutgoing}: a profile remembers that many recent outgoing transactions`,
    });

const money = z.union([z.string(), z.number().int().nonnegative()]).transform(String).pipe(amountMinor);

/**
 * Minor-unit amounts by ISO 4217 code, with a `default` for every other currency; turned into
 * bigints once, when the file is read, not on every transaction.
 */
export const perCurrency = z
  .record(z.string().regex(/^([A-Z]{3}|default)$/, { message: 'keys are ISO 4217 codes or "default"' }), money)
  .refine((m) => m.default !== undefined, { message: 'needs a "default" amount' })
  .transform((m) => Object.fromEntries(Object.entries(m).map(([currency, amount]) => [currency, BigInt(amount)])));
export type PerCurrency = z.infer<typeof perCurrency>;

const fraction = z.number().min(0).max(1);
const base = {
  mode: z.enum(['live', 'shadow', 'off']).default('live'),
  weight: z.number().int().min(0).max(100),
  /**
   * false: the rule's points can bring a transaction to review but never to suspected_theft on
   * their own (structuring is the owner laundering money, not a thief: it must not freeze).
   */
  theftSignal: z.boolean().default(true),
};
const rule = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ ...base, ...shape });

export const SECURITY_TRIGGERS = [
  'password_reset',
  'password_changed',
  'two_factor_disabled',
  'unlocked',
  'new_device_sign_in',
  'new_ip_sign_in',
  'recovery_code_used',
] as const;
export type SecurityTrigger = (typeof SECURITY_TRIGGERS)[number];

const rulesSchemas = {
  amount_outlier: rule({
    minHistory: z.number().int().min(2),
    minRatio: z.number().gt(1),
    madMultiplier: z.number().positive(),
    strongRatio: z.number().gt(1),
  }),
  velocity: rule({
    windows: z
      .array(
        z.strictObject({
          minutes: z.number().int().min(1).max(MAX_WINDOW_MINUTES),
          maxCount: recentCount(1),
          maxSum: perCurrency,
        }),
      )
      .min(1),
  }),
  new_counterparty_large: rule({
    newForHours: z.number().min(0).max(24),
    minAmount: perCurrency,
    balanceFraction: fraction,
    minAmountForBalanceFraction: perCurrency,
  }),
  after_security_change: rule({
    windowHours: z.number().positive().max(24),
    halfLifeMinutes: z.number().positive(),
    minStrength: fraction,
    singleTriggerFactor: fraction,
    /** The security changes that count, each with its strength (a new IP is a weaker sign than 2FA off). */
    triggers: z
      .partialRecord(z.enum(SECURITY_TRIGGERS), z.number().gt(0).max(1))
      .refine((t) => Object.keys(t).length > 0, { message: 'needs at least one trigger' }),
  }),
  balance_drain: rule({ remainingFraction: fraction, minPriorBalance: perCurrency }),
  impossible_travel: rule({ maxSpeedKmh: z.number().positive(), minDistanceKm: z.number().nonnegative() }),
  new_device_or_country: rule({ deviceOnlyStrength: fraction, countryOnlyStrength: fraction }),
  test_then_large: rule({
    windowMinutes: z.number().int().min(1).max(MAX_WINDOW_MINUTES),
    minTinyCount: recentCount(1),
    tinyMax: perCurrency,
    largeMin: perCurrency,
  }),
  structuring: rule({
    windowHours: z.number().positive().max(24),
    minCount: recentCount(2),
    band: z.number().gt(0).max(0.5),
    reportingThreshold: perCurrency,
  }),
  dormant_reactivation: rule({ dormantDays: z.number().positive(), largeMin: perCurrency }),
};

export const rulesFileSchema = z.strictObject({
  /** Recorded on every flag scored with this file. */
  version: z.string().min(1).max(64),
  description: z.string().optional(),
  rules: z.strictObject(rulesSchemas),
});
export type RulesFile = z.infer<typeof rulesFileSchema>;
export type Rules = RulesFile['rules'];
export type RuleName = keyof Rules;
export const RULE_NAMES = Object.keys(rulesSchemas) as RuleName[];

/** The amount for `currency`, or the default. */
export function amountFor(amounts: PerCurrency, currency: string): bigint {
  return amounts[currency] ?? (amounts.default as bigint);
}
