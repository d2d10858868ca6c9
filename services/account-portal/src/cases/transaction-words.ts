import {
  type AccountTransaction,
  minorUnitDigits,
  OUTGOING_TRANSACTION_TYPES,
  type TransactionType,
} from '@wallet-guard/contracts';

/**
 * `amountMinor` minor units of `currency` as a decimal string (ISO 4217 exponent: 1023 EUR minor
 * units are "10.23", 1023 JPY are "1023"), exact at any size: no float ever holds it.
 */
export function decimalAmount(amountMinor: string, currency: string): string {
  const digits = minorUnitDigits(currency);
  if (digits === 0) return amountMinor;
  const padded = amountMinor.padStart(digits + 1, '0');
  return `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/** Money leaving the account (withdrawal, transfer sent, payment) rather than arriving. */
export const isOutgoing = (type: TransactionType): boolean => OUTGOING_TRANSACTION_TYPES.includes(type);

/**
 * The amount as the customer's locale writes money, signed by direction ("-€10.23" paid out,
 * "+€50.00" received; "-JP¥1,023"), with the currency's ISO 4217 number of decimals. Never throws
 * for a currency the monitor accepted.
 */
export function amountText(locale: string, tx: Pick<AccountTransaction, 'amountMinor' | 'currency' | 'type'>): string {
  const digits = minorUnitDigits(tx.currency);
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: tx.currency,
    signDisplay: 'exceptZero',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  const amount = decimalAmount(tx.amountMinor, tx.currency);
  // Intl formats a decimal string exactly (ECMA-402 NumberFormat v3): amounts beyond 2^53 stay whole.
  const signed: Intl.StringNumericLiteral = `${isOutgoing(tx.type) ? '-' : ''}${amount}` as `${number}`;
  return format.format(signed);
}
