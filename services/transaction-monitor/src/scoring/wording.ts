// How rules word amounts and gaps in their details: agents read these sentences.
import { minorUnitDigits } from '@wallet-guard/contracts';

const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(currency: string): Intl.NumberFormat {
  let formatter = formatters.get(currency);
  if (!formatter) {
    // ISO 4217's minor units, which the amounts are in (CLDR shows HUF and IDR without decimals).
    const digits = minorUnitDigits(currency);
    formatter = new Intl.NumberFormat('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    formatters.set(currency, formatter);
  }
  return formatter;
}

/** "1,250.00 EUR" from 125000 minor units; exact for any 64-bit amount (no float on the way). */
export function formatMoney(amountMinor: bigint, currency: string): string {
  const formatter = formatterFor(currency);
  const digits = formatter.resolvedOptions().maximumFractionDigits as number;
  const negative = amountMinor < 0n;
  const text = (negative ? -amountMinor : amountMinor).toString().padStart(digits + 1, '0');
  const decimal = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return `${negative ? '-' : ''}${formatter.format(decimal as `${number}`)} ${currency}`;
}

/** "12 minutes", "3.5 hours", "120 days". */
export function formatGap(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 1) return `${Math.round(ms / 1000)} seconds`;
  if (minutes < 120) return `${Math.round(minutes)} minutes`;
  const hours = minutes / 60;
  if (hours < 48) return `${Number(hours.toFixed(1))} hours`;
  return `${Math.round(hours / 24)} days`;
}

export const percent = (share: number) => `${Number((share * 100).toFixed(1))}%`;
