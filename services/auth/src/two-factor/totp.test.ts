import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base32Decode, hotp, stepAt, totpAt } from '../testing/two-factor';
import { base32Secret, matchTotpCode, newTotpSecret, otpauthUri, timeStep } from './totp';

// RFC 6238 appendix B, the SHA-1 rows: seed "12345678901234567890", 8-digit values. A 6-digit code is
// the same truncated number modulo 10^6, i.e. the last six digits.
const RFC_SEED = Buffer.from('12345678901234567890', 'ascii');
const RFC_SHA1_ROWS: Array<[seconds: number, step: number, code: string]> = [
  [59, 0x1, '94287082'],
  [1111111109, 0x23523ec, '07081804'],
  [1111111111, 0x23523ed, '14050471'],
  [1234567890, 0x273ef07, '89005924'],
  [2000000000, 0x3f940aa, '69279037'],
  [20000000000, 0x27bc86aa, '65353130'],
];

const match = (secret: Uint8Array, code: string, at: Date, afterStep: number | null = null, driftSteps = 1) =>
  matchTotpCode({ secret, code, at, driftSteps, afterStep });

describe('TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps)', () => {
  it.each(RFC_SHA1_ROWS)('accepts the appendix B code at T=%i (step %i)', async (seconds, step, code) => {
    const at = new Date(seconds * 1000);
    expect(timeStep(at)).toBe(step);
    expect(await match(RFC_SEED, code.slice(2), at, null, 0)).toEqual({ step });
    // The independent implementation in the tests agrees with the RFC too.
    expect(hotp(RFC_SEED, step, 8)).toBe(code);
  });

  it('accepts codes computed by an independent node:crypto HMAC implementation', async () => {
    for (let i = 0; i < 50; i++) {
      const secret = newTotpSecret();
      const at = new Date(Date.UTC(2026, 0, 1) + i * 7_777_777);
      expect(await match(secret, totpAt(secret, at), at)).toEqual({ step: stepAt(at) });
      // ...from the base32 the user is shown, decoded independently as well.
      expect(base32Decode(base32Secret(secret)).equals(Buffer.from(secret))).toBe(true);
    }
  });

  it('accepts one step of drift either side by default, and not two', async () => {
    const secret = newTotpSecret();
    // The first and the last millisecond of a step: drift is counted in steps, not seconds.
    for (const at of [new Date(1_800_000_000_000), new Date(1_800_000_029_999)]) {
      const step = stepAt(at);
      expect(await match(secret, totpAt(secret, at, -1), at)).toEqual({ step: step - 1 });
      expect(await match(secret, totpAt(secret, at, 1), at)).toEqual({ step: step + 1 });
      expect(await match(secret, totpAt(secret, at, -2), at)).toBeNull();
      expect(await match(secret, totpAt(secret, at, 2), at)).toBeNull();
    }
  });

  it('accepts the configured drift: none, or two steps', async () => {
    const secret = newTotpSecret();
    const at = new Date(1_800_000_015_000);
    expect(await match(secret, totpAt(secret, at, 1), at, null, 0)).toBeNull();
    expect(await match(secret, totpAt(secret, at, 0), at, null, 0)).toEqual({ step: stepAt(at) });
    expect(await match(secret, totpAt(secret, at, -2), at, null, 2)).toEqual({ step: stepAt(at) - 2 });
    expect(await match(secret, totpAt(secret, at, 3), at, null, 2)).toBeNull();
  });

  it('refuses a code of the last accepted step or any before it', async () => {
    const secret = newTotpSecret();
    const at = new Date(1_800_000_015_000);
    const step = stepAt(at);
    expect(await match(secret, totpAt(secret, at), at, step)).toBeNull();
    expect(await match(secret, totpAt(secret, at, -1), at, step - 1)).toBeNull();
    expect(await match(secret, totpAt(secret, at), at, step - 1)).toEqual({ step });
    expect(await match(secret, totpAt(secret, at, 1), at, step)).toEqual({ step: step + 1 });
    // A last step beyond the window (a clock that went back) refuses everything, without throwing.
    expect(await match(secret, totpAt(secret, at, 1), at, step + 5)).toBeNull();
  });

  it('refuses malformed codes and another secret without throwing', async () => {
    const secret = newTotpSecret();
    const at = new Date();
    const code = totpAt(secret, at);
    for (const bad of ['', '12345', '1234567', `${code} `, 'abcdef', '１２３４５６']) {
      expect(await match(secret, bad, at)).toBeNull();
    }
    expect(await match(newTotpSecret(), code, at)).toBeNull();
  });

  it('makes 160-bit random secrets and an otpauth URI apps read', () => {
    const secrets = Array.from({ length: 20 }, () => newTotpSecret());
    expect(secrets.every((s) => s.length === 20)).toBe(true);
    expect(new Set(secrets.map((s) => Buffer.from(s).toString('hex'))).size).toBe(20);
    const secret = new Uint8Array(randomBytes(20));
    const uri = new URL(otpauthUri({ issuer: 'Wallet Guard', label: 'Ann+1@example.com', secret }));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Wallet Guard:Ann+1@example.com');
    expect(Object.fromEntries(uri.searchParams)).toMatchObject({
      secret: base32Secret(secret),
      issuer: 'Wallet Guard',
    });
    const params = Object.fromEntries(uri.searchParams);
    // Omitted parameters mean SHA1, 6 digits, 30 seconds to every app; stated ones must say the same.
    expect([params.algorithm ?? 'SHA1', params.digits ?? '6', params.period ?? '30']).toEqual(['SHA1', '6', '30']);
  });
});
