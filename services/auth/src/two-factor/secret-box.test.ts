import type { SecretKey } from '@wallet-guard/config';
import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box';
import { base32Secret, newTotpSecret } from './totp';

const key = (id: string, fill: number): SecretKey => ({ id, keyBase64: Buffer.alloc(32, fill).toString('base64') });

describe('secrets at rest (AES-256-GCM)', () => {
  it('seals under the first key with a fresh nonce, and opens under any configured key', () => {
    const secret = newTotpSecret();
    const old = new SecretBox([key('k1', 1)]);
    const rotated = new SecretBox([key('k2', 2), key('k1', 1)]);
    const a = old.seal(secret, 'totp:a');
    const b = old.seal(secret, 'totp:a');
    expect(a.keyId).toBe('k1');
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(Buffer.from(a.ciphertext, 'base64url')).toHaveLength(12 + 20 + 16);
    expect(rotated.open(a, 'totp:a')).toEqual(secret);
    expect(rotated.seal(secret, 'totp:a').keyId).toBe('k2');
    // Neither the raw bytes nor any usual encoding of the secret shows in what is stored.
    for (const form of [
      base32Secret(secret),
      Buffer.from(secret).toString('hex'),
      Buffer.from(secret).toString('base64url'),
    ]) {
      expect(a.ciphertext).not.toContain(form);
    }
  });

  it('refuses another account, another key, an unknown key id and a tampered ciphertext', () => {
    const box = new SecretBox([key('k1', 1)]);
    const sealed = box.seal(newTotpSecret(), 'totp:a');
    expect(() => box.open(sealed, 'totp:b')).toThrow();
    expect(() => new SecretBox([key('k1', 9)]).open(sealed, 'totp:a')).toThrow();
    expect(() => box.open({ ...sealed, keyId: 'k0' }, 'totp:a')).toThrow(/no encryption key with id "k0"/);
    const raw = Buffer.from(sealed.ciphertext, 'base64url');
    raw[14] = (raw[14] as number) ^ 1;
    expect(() => box.open({ ...sealed, ciphertext: raw.toString('base64url') }, 'totp:a')).toThrow();
    expect(() => box.open({ ...sealed, ciphertext: 'short' }, 'totp:a')).toThrow();
  });
});
