import { currencyCode } from '@wallet-guard/contracts';
import { describe, expect, it } from 'vitest';
import { formatMoney } from './wording';

describe('formatMoney', () => {
  it('reads minor units with ISO 4217 exponents, where CLDR shows fewer digits too', () => {
    expect(formatMoney(123456n, 'EUR')).toBe('1,234.56 EUR');
    expect(formatMoney(123456n, 'JPY')).toBe('123,456 JPY');
    expect(formatMoney(123456n, 'BHD')).toBe('123.456 BHD');
    // CLDR writes these without decimals; their minor units are still hundredths (IQD: thousandths).
    expect(formatMoney(123456n, 'HUF')).toBe('1,234.56 HUF');
    expect(formatMoney(123456n, 'IDR')).toBe('1,234.56 IDR');
    expect(formatMoney(123456n, 'IQD')).toBe('123.456 IQD');
    expect(formatMoney(5n, 'COP')).toBe('0.05 COP');
  });

  it('is exact at the ends of the 64-bit range, in every currency the contract accepts', () => {
    for (const currency of Intl.supportedValuesOf('currency')) {
      if (!currencyCode.safeParse(currency).success) continue;
      const text = formatMoney(9223372036854775807n, currency);
      expect(text.replace(/[,.]/g, '').replace(` ${currency}`, '')).toBe('9223372036854775807');
      expect(formatMoney(-9223372036854775808n, currency).startsWith('-9')).toBe(true);
    }
  });
});
