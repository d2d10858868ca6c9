import { describe, expect, it } from 'vitest';
import { currencyName, formatAmount as format } from './amount';

/** Intl separates a currency code from the number with a no-break space: compared as a plain one. */
const formatAmount = (locale: string, amountMinor: string, currency: string) =>
  format(locale, amountMinor, currency).replace(/\u00a0/g, ' ');

describe('a payment amount in the customer’s language', () => {
  it('uses the currency’s ISO 4217 minor digits, exactly, even beyond 2^53', () => {
    expect(formatAmount('en', '123456', 'EUR')).toBe('€1,234.56');
    expect(formatAmount('en', '5', 'JPY')).toBe('¥5');
    expect(formatAmount('en', '7', 'BHD')).toBe('BHD 0.007');
    // CLDR writes HUF without decimals; a wallet's minor units follow ISO 4217.
    expect(formatAmount('en', '12345', 'HUF')).toBe('HUF 123.45');
    expect(formatAmount('en', '9223372036854775807', 'USD')).toBe('$92,233,720,368,547,758.07');
  });

  it('writes numbers and currency names as the locale does', () => {
    expect(formatAmount('zh-CN', '12345', 'CNY')).toBe('¥123.45');
    expect(formatAmount('zh-CN', '123456', 'USD')).toBe('US$1,234.56');
    expect(currencyName('zh-CN', 'EUR')).toBe('欧元 (EUR)');
    expect(currencyName('en', 'EUR')).toBe('Euro (EUR)');
  });
});
