import { describe, expect, it } from 'vitest';
import {
  addListEntryBody,
  canonicalListValue,
  changeListEntryBody,
  formatIpPrefix,
  ipAddressBits,
  networkBits,
  parseIpPrefix,
} from './monitor-lists';

describe('list values', () => {
  it('keeps one spelling of each IP prefix, v4 and v6, and refuses host bits and bad lengths', () => {
    const ok = (text: string) => canonicalListValue('ip', text);
    expect(ok('203.0.113.0/24')).toEqual({ ok: true, value: '203.0.113.0/24' });
    expect(ok('203.0.113.9')).toEqual({ ok: true, value: '203.0.113.9/32' });
    expect(ok('2001:0DB8:0000::/32')).toEqual({ ok: true, value: '2001:db8::/32' });
    expect(ok('2001:db8::1')).toEqual({ ok: true, value: '2001:db8::1/128' });
    expect(ok('::ffff:198.51.100.0/120')).toEqual({ ok: true, value: '198.51.100.0/24' });
    expect(ok('0.0.0.0/0')).toEqual({ ok: true, value: '0.0.0.0/0' });
    for (const bad of [
      '10.0.0.1/8',
      '2001:db8::1/32',
      '10.0.0.0/33',
      '2001:db8::/129',
      '300.1.1.1',
      '10.0.0.0/',
      'x/8',
      '1.2.3.4/8/9',
      '01.2.3.4',
    ]) {
      expect(ok(bad), bad).toEqual({ ok: false, problem: 'cidr' });
    }
  });

  it('matches addresses to prefixes by their network bits', () => {
    const prefix = parseIpPrefix('2001:db8:42::/48');
    const inside = ipAddressBits('2001:DB8:42:7::1');
    const outside = ipAddressBits('2001:db8:43::1');
    if (!prefix || !inside || !outside) throw new Error('did not parse');
    expect(networkBits(inside.bits, 6, 48)).toBe(prefix.bits);
    expect(networkBits(outside.bits, 6, 48)).not.toBe(prefix.bits);
    expect(formatIpPrefix(prefix)).toBe('2001:db8:42::/48');
    expect(ipAddressBits('::ffff:203.0.113.5')?.family).toBe(4);
    expect(ipAddressBits('not an ip')).toBeUndefined();
  });

  it('checks countries, counterparties and devices', () => {
    expect(canonicalListValue('country', 'de')).toEqual({ ok: true, value: 'DE' });
    expect(canonicalListValue('country', 'XK')).toEqual({ ok: true, value: 'XK' });
    for (const bad of ['ZZ', 'QQ', 'DEU', 'D']) expect(canonicalListValue('country', bad).ok, bad).toBe(false);
    expect(canonicalListValue('counterparty', 'crypto_address:bc1q')).toEqual({
      ok: true,
      value: 'crypto_address:bc1q',
    });
    for (const bad of ['bc1q', 'iban:DE00', 'wallet:', ':x', `wallet:${'x'.repeat(129)}`]) {
      expect(canonicalListValue('counterparty', bad), bad).toEqual({ ok: false, problem: 'counterparty' });
    }
    expect(canonicalListValue('device', '  phone-7 ')).toEqual({ ok: true, value: 'phone-7' });
    expect(canonicalListValue('device', '   ')).toEqual({ ok: false, problem: 'device' });
  });
});

describe('list request bodies', () => {
  it('accept what the API takes and reject the rest', () => {
    const entry = { kind: 'ip', value: '203.0.113.0/24', action: 'block', reason: 'proxy', author: 'agent:sue' };
    expect(addListEntryBody.safeParse(entry).success).toBe(true);
    expect(addListEntryBody.safeParse({ ...entry, expiresAt: '2030-01-01T00:00:00Z' }).success).toBe(true);
    expect(addListEntryBody.safeParse({ ...entry, action: 'deny' }).success).toBe(false);
    expect(addListEntryBody.safeParse({ ...entry, kind: 'email' }).success).toBe(false);
    expect(addListEntryBody.safeParse({ ...entry, reason: ' ' }).success).toBe(false);
    expect(addListEntryBody.safeParse({ ...entry, author: undefined }).success).toBe(false);
    expect(changeListEntryBody.safeParse({ author: 'a', expiresAt: null }).success).toBe(true);
    expect(changeListEntryBody.safeParse({ author: 'a' }).success).toBe(false);
  });
});
