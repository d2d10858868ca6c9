import { describe, expect, it } from 'vitest';
import { monitored, profileAfter, ruleContext, shippedRules, usualPayments } from '../../testing/fixtures';
import { newDeviceOrCountry } from './new-device-or-country';

const params = shippedRules().new_device_or_country;
const known = profileAfter(usualPayments(3)); // phone-1 in DE
const from = (deviceId: string, country: string, type: 'payment' | 'deposit' = 'payment') =>
  newDeviceOrCountry(ruleContext(monitored({ type, context: { deviceId, country } }), known), params);

describe('new_device_or_country', () => {
  it('fires on a new device, a new country, and most strongly on both', () => {
    expect(from('laptop-9', 'DE')?.strength).toBe(params.deviceOnlyStrength);
    expect(from('phone-1', 'BR')?.strength).toBe(params.countryOnlyStrength);
    const both = from('laptop-9', 'BR');
    expect(both?.strength).toBe(1);
    expect(both?.detail).toBe('Outgoing from a new device in a new country (BR)');
  });

  it('stays quiet for known ones, incoming money, or a first transaction with nothing to compare', () => {
    expect(from('phone-1', 'DE')).toBeNull();
    expect(from('laptop-9', 'BR', 'deposit')).toBeNull();
    const first = monitored({ context: { deviceId: 'laptop-9', country: 'BR' } });
    expect(newDeviceOrCountry(ruleContext(first, profileAfter([])), params)).toBeNull();
  });
});
