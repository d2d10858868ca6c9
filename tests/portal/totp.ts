// RFC 6238 (TOTP: HMAC-SHA1, 30-second steps, 6 digits) written from the RFC with node:crypto, so
// the journeys check our otplib-based auth against an implementation that shares nothing with it.
import { createHmac } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (spaces, case and `=` padding ignored). Throws on a character outside the alphabet. */
function base32ToBytes(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The 30-second time step of `ms` (ms since the epoch). */
export const timeStep = (ms: number = Date.now()): number => Math.floor(ms / 1000 / 30);

/** The 6-digit code of `step` for a base32 secret (RFC 4226 dynamic truncation of HMAC-SHA1). */
export function totpAt(secretBase32: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32ToBytes(secretBase32)).update(counter).digest();
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}
