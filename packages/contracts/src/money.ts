import { z } from 'zod';

const ISO_4217 = new Set(Intl.supportedValuesOf('currency'));

/** ISO 4217 alphabetic code, as known to the runtime's ICU data (e.g. "EUR", "USD", "JPY"). */
export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, { message: 'must be a three-letter upper-case ISO 4217 code' })
  .refine((c) => ISO_4217.has(c), { message: 'is not an ISO 4217 currency code' });

// zod runs every check even after one fails, so the BigInt refinements guard their own input.

/**
 * An amount in minor units (cents for EUR) as a decimal string of a non-negative integer that fits
 * in a signed 64-bit column. Strings, not numbers: JSON numbers lose precision above 2^53.
 */
export const amountMinor = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,18})$/, { message: 'must be a non-negative integer of minor units as a decimal string' })
  .refine((v) => !/^[0-9]+$/.test(v) || BigInt(v) <= 9223372036854775807n, {
    message: 'is larger than a 64-bit amount',
  });

/** Like `amountMinor` but may be negative (an overdrawn balance). */
export const signedAmountMinor = z
  .string()
  .regex(/^(0|-?[1-9][0-9]{0,18})$/, { message: 'must be an integer of minor units as a decimal string' })
  .refine((v) => !/^-?[0-9]+$/.test(v) || (BigInt(v) <= 9223372036854775807n && BigInt(v) >= -9223372036854775808n), {
    message: 'is outside the 64-bit range',
  });

export const money = z.object({ amountMinor, currency: currencyCode });
export type Money = z.infer<typeof money>;

/**
 * ISO 4217 minor units where the runtime's CLDR data shows fewer digits: CLDR writes HUF, IDR,
 * COP ... without decimals (their cents are not used in cash), yet a wallet's minor units follow
 * ISO 4217, so 12345 minor units of HUF are 123.45 HUF, not 12,345.
 */
const ISO_MINOR_UNITS_UNLIKE_CLDR: Readonly<Record<string, number>> = {
  AFN: 2,
  ALL: 2,
  COP: 2,
  HUF: 2,
  IDR: 2,
  IQD: 3,
  IRR: 2,
  KPW: 2,
  LAK: 2,
  LBP: 2,
  MGA: 2,
  MMK: 2,
  PKR: 2,
  SLL: 2,
  SOS: 2,
  SYP: 2,
  YER: 2,
};

/**
 * How many decimal digits one minor unit of `currency` is (ISO 4217: 2 for EUR, 0 for JPY, 3 for
 * BHD and IQD): what turns `amountMinor` into an amount a person reads. Never throws for a code
 * `currencyCode` accepts.
 */
export function minorUnitDigits(currency: string): number {
  return (
    ISO_MINOR_UNITS_UNLIKE_CLDR[currency] ??
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
    2
  );
}
