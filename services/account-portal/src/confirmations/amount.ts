import { minorUnitDigits } from '@wallet-guard/contracts';

/**
 * `amountMinor` (an integer of ISO 4217 minor units, as a decimal string) of `currency` as a
 * person reads it in `locale`: "€1,234.56", "¥1,235" or "1.234,56 €", with exactly the
 * currency's minor digits. The amount goes to Intl as an exact decimal string, never through a
 * float, so no 64-bit amount is rounded. Never throws for a code `currencyCode` accepts.
 */
export function formatAmount(locale: string, amountMinor: string, currency: string): string {
  const digits = minorUnitDigits(currency);
  const padded = amountMinor.padStart(digits + 1, '0');
  const decimal = digits === 0 ? padded : `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(decimal as Intl.StringNumericLiteral);
}

/** The currency's name in `locale` with its code: "Euro (EUR)", "欧元 (EUR)". Never throws. */
export function currencyName(locale: string, currency: string): string {
  const name = new Intl.DisplayNames(locale, { type: 'currency', fallback: 'none' }).of(currency);
  return name ? `${name} (${currency})` : currency;
}
