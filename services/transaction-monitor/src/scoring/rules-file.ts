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
/**
 * Judging an amount against the account instead of a currency threshold: `usualMultiple` times
 * its usual outgoing amount (the median of its latest ones in that currency), which needs
 * `minHistory` of them (at most what a profile keeps per currency, or it could never be met).
 */
const relativeToAccount = {
  usualMultiple: z.number().gt(1),
  minHistory: z.number().int().min(1).max(PROFILE_LIMITS.amountsPerCurrency),
};
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

/**
 * A payment to a destination (bank account, crypto address, wallet or card) that many distinct
 * accounts started paying recently: a mule collecting what a takeover ring drains
 * (src/network/destination-book.ts keeps the aggregate; README, monitor section).
 */
const muleDestinationRule = rule({
  /** Counterparty kinds the network aggregate covers: merchants are shared by everyone. */
  kinds: z.array(z.enum(['bank_account', 'crypto_address', 'wallet', 'card'])).min(1),
  /** The rule's (and the incident's) window: accounts that first paid the destination this recently. */
  windowHours: z.number().positive().max(168),
  /** The longer window the aggregate also keeps, and what an incident lists. */
  longWindowHours: z.number().positive().max(720),
  /** A payer "shows takeover signs" with one of these security changes or a flag this recently. */
  signsWithinHours: z.number().positive().max(24),
  takeoverTriggers: z.array(z.enum(SECURITY_TRIGGERS)).min(1),
  /** Other accounts new to the destination within `windowHours` for a half-strength hit ... */
  minNewPayers: z.number().int().min(1),
  /** ... and for a full one. */
  strongNewPayers: z.number().int().min(1),
  /** The share of the strength left when none of those accounts shows takeover signs. */
  unsignedFactor: fraction,
  /** When the destination becomes a network incident (announced on risk.mule-destination.v1). */
  incident: z.strictObject({
    minNewPayers: z.number().int().min(2),
    minWithTakeoverSigns: z.number().int().min(1),
  }),
})
  .refine((r) => r.longWindowHours >= r.windowHours, { message: 'longWindowHours must be at least windowHours' })
  .refine((r) => r.strongNewPayers >= r.minNewPayers, { message: 'strongNewPayers must be at least minNewPayers' });

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
    /**
     * Relative to the account: two or more outgoing within a window that move at least this share
     * of the money it held when the window began (a drain in steps to different destinations),
     * when their sum is also `usualMultiple` times the usual amount.
     */
    balanceShare: fraction,
    ...relativeToAccount,
  }),
  new_counterparty_large: rule({
    newForHours: z.number().min(0).max(24),
    minAmount: perCurrency,
    balanceFraction: fraction,
    minAmountForBalanceFraction: perCurrency,
    /** Below that floor, a share of the balance still counts when it is `usualMultiple` times the usual amount. */
    ...relativeToAccount,
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
  /** Below `minPriorBalance`, a drain still counts when it is `usualMultiple` times the usual amount. */
  balance_drain: rule({ remainingFraction: fraction, minPriorBalance: perCurrency, ...relativeToAccount }),
  impossible_travel: rule({ maxSpeedKmh: z.number().positive(), minDistanceKm: z.number().nonnegative() }),
  new_device_or_country: rule({ deviceOnlyStrength: fraction, countryOnlyStrength: fraction }),
  test_then_large: rule({
    windowMinutes: z.number().int().min(1).max(MAX_WINDOW_MINUTES),
    minTinyCount: recentCount(1),
    tinyMax: perCurrency,
    largeMin: perCurrency,
    /** Below `largeMin`, the last one is still large when it takes at least this share of the balance. */
    largeShareOfBalance: fraction,
  }),
  structuring: rule({
    windowHours: z.number().positive().max(24),
    minCount: recentCount(2),
    band: z.number().gt(0).max(0.5),
    reportingThreshold: perCurrency,
  }),
  /**
   * Below `largeMin`, an amount to a new destination still counts when it takes `balanceFraction`
   * of the balance or is `usualMultiple` times the usual amount (from `minAmount`).
   */
  dormant_reactivation: rule({
    dormantDays: z.number().positive(),
    largeMin: perCurrency,
    minAmount: perCurrency,
    balanceFraction: fraction,
    ...relativeToAccount,
  }),
  mule_destination: muleDestinationRule,
  /**
   * The managed lists (src/lists/): an outgoing transaction whose payee, device, IP address or
   * country is on the block list earns the full weight, on the review list `reviewStrength` of it.
   * Its points are firm: an allow-list entry never takes them off.
   */
  listed_destination: rule({ reviewStrength: fraction }),
  /**
   * An allow-listed payee (`counterpartyStrength`) or device, IP or country (`contextStrength`)
   * takes up to `weight` times that strength OFF the score of an outgoing transaction other rules
   * hit; never the points of firm hits (security evidence, block and review listings), and never
   * below the theft threshold when security events back a theft decision (score.ts). `theftSignal`
   * is ignored.
   */
  allow_listed: rule({ counterpartyStrength: fraction, contextStrength: fraction }),
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
