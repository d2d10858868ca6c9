import { describe, expect, it } from 'vitest';
import { findRecoveryCode, hashRecoveryCode, newRecoveryCodeSet, normaliseRecoveryCode } from './recovery-codes';

describe('recovery codes', () => {
  it('come 10 to a set, as xxxxx-xxxxx of 32 symbols: 50 random bits each', () => {
    const { codes, hashed } = newRecoveryCodeSet();
    expect(codes).toHaveLength(10);
    expect(hashed).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
    expect(new Set(codes).size).toBe(10);
    // 32^10 = 2^50. Over many codes every one of the 32 symbols turns up in every position.
    const many = Array.from({ length: 60 }, () => newRecoveryCodeSet().codes).flat();
    for (let position = 0; position < 11; position++) {
      if (position === 5) continue;
      expect(new Set(many.map((c) => c[position])).size).toBe(32);
    }
  });

  it('are stored as salted HMAC-SHA-256, so equal codes hash differently', () => {
    const { codes, hashed } = newRecoveryCodeSet();
    const again = hashRecoveryCode(normaliseRecoveryCode(codes[0] as string) as string);
    expect(again.hash).not.toBe(hashed[0]?.hash);
    expect(new Set(hashed.map((h) => h.salt)).size).toBe(10);
    for (const h of hashed) expect(h.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(hashed)).not.toContain((codes[0] as string).slice(0, 5));
  });

  it('are found whatever the case, spacing and dashes, with look-alike letters read as digits', () => {
    const { codes, hashed } = newRecoveryCodeSet();
    const code = codes[3] as string;
    expect(findRecoveryCode(code, hashed)).toBe(3);
    expect(findRecoveryCode(` ${code.toUpperCase().replace('-', ' ')} `, hashed)).toBe(3);
    expect(findRecoveryCode(code.replace('-', ''), hashed)).toBe(3);
    expect(normaliseRecoveryCode('OIL00-abcde')).toBe('01100abcde');
    expect(findRecoveryCode(code.slice(0, -1), hashed)).toBe(-1);
    expect(findRecoveryCode('uuuuu-uuuuu', hashed)).toBe(-1);
    expect(findRecoveryCode(newRecoveryCodeSet().codes[0] as string, hashed)).toBe(-1);
  });
});
