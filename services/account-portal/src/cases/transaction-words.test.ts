import { describe, expect, it } from 'vitest';
import { amountText, decimalAmount } from './transaction-words';

describe('a transaction amount in the customer’s words', () => {
  it('turns minor units into the currency’s ISO 4217 decimals, exactly at any size', () => {
    expect(decimalAmount('1023', 'EUR')).toBe('10.23');
    expect(decimalAmount('5', 'EUR')).toBe('0.05');
    expect(decimalAmount('1023', 'JPY')).toBe('1023');
    expect(decimalAmount('12345', 'BHD')).toBe('12.345');
    // CLDR shows HUF without decimals; the wallet's minor units follow ISO 4217 (2).
    expect(decimalAmount('12345', 'HUF')).toBe('123.45');
    expect(decimalAmount('9223372036854775807', 'EUR')).toBe('92233720368547758.07');
  });

  it('formats with the locale, signed by direction: paid out negative, received positive', () => {
    expect(amountText('en', { type: 'payment', amountMinor: '4999', currency: 'EUR' })).toBe('-€49.99');
    expect(amountText('en', { type: 'transfer_in', amountMinor: '4999', currency: 'EUR' })).toBe('+€49.99');
    expect(amountText('en', { type: 'withdrawal', amountMinor: '120000', currency: 'JPY' })).toBe('-¥120,000');
    expect(amountText('zh-CN', { type: 'deposit', amountMinor: '120000', currency: 'JPY' })).toBe('+JP¥120,000');
    expect(amountText('zh-CN', { type: 'transfer_out', amountMinor: '1234567', currency: 'EUR' })).toBe('-€12,345.67');
    expect(amountText('en', { type: 'deposit', amountMinor: '12345', currency: 'HUF' })).toBe('+HUF\u00a0123.45');
    // Beyond 2^53 minor units: every digit kept (a float would round the last ones).
    expect(amountText('en', { type: 'deposit', amountMinor: '9223372036854775807', currency: 'EUR' })).toBe(
      '+€92,233,720,368,547,758.07',
    );
    expect(amountText('en', { type: 'payment', amountMinor: '0', currency: 'EUR' })).toBe('€0.00');
  });
});
