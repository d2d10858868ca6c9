// Two-factor helpers for this service's tests (imported by *.test.ts only). TOTP is computed here
// from RFC 4226 and RFC 6238 on node:crypto alone, so the tests do not trust the code under test.
import { createHmac } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { AuthHarness } from './harness';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (no padding expected, as authenticator apps get it). */
export function base32Decode(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of text.replace(/=+$/, '')) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error('not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 4226 section 5.3: HMAC-SHA-1 of the counter, dynamic truncation, modulo 10^digits. */
export function hotp(secret: Uint8Array, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', secret).update(message).digest();
  const offset = (mac[19] as number) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238 time step: 30 seconds since the Unix epoch. */
export const stepAt = (at: Date): number => Math.floor(at.getTime() / 30_000);

/** The code of the step `offset` steps away from `at`. */
export const totpAt = (secret: Uint8Array, at: Date, offset = 0): string => hotp(secret, stepAt(at) + offset);

/** A 6-digit code that no step within 3 of `at` produces: wrong however the clock moves during the request. */
export function wrongCode(secret: Uint8Array, at: Date): string {
  const near = new Set([-3, -2, -1, 0, 1, 2, 3].map((offset) => totpAt(secret, at, offset)));
  let candidate = Number(totpAt(secret, at));
  while (near.has(String(candidate).padStart(6, '0'))) candidate = (candidate + 7919) % 1_000_000;
  return String(candidate).padStart(6, '0');
}

/**
 * Moves the test clock to the middle of the next time step: codes of earlier steps count as used
 * by then, and the 15 seconds either side leave room for the request to run within the step.
 */
export function nextStep(auth: AuthHarness): void {
  const intoStep = auth.clock.now().getTime() % 30_000;
  auth.clock.advance((30_000 - intoStep + 15_000) / 1000);
}

/** The code of the current step, after moving to the next step (so it is later than any used one). */
export function nextCode(auth: AuthHarness, secret: Uint8Array): string {
  nextStep(auth);
  return totpAt(secret, auth.clock.now());
}

export interface TwoFactorUser {
  accountId: string;
  email: string;
  password: string;
  accessToken: string;
  secret: Buffer;
  recoveryCodes: string[];
}

/** Registers, signs in, and enrols an authenticator through the API (the confirming code's step is then used). */
export async function enrolledUser(auth: AuthHarness): Promise<TwoFactorUser> {
  const { accountId, email, password } = await auth.register();
  const { accessToken } = (await auth.signIn(email, password)).json();
  const started = await auth.wallet({ method: 'POST', url: '/v1/accounts/me/totp' }, accessToken);
  if (started.statusCode !== 201) throw new Error(`enrolment failed: ${started.statusCode} ${started.body}`);
  const secret = base32Decode(started.json().secret);
  const confirmed = await auth.wallet(
    { method: 'POST', url: '/v1/accounts/me/totp/confirm', payload: { code: nextCode(auth, secret) } },
    accessToken,
  );
  if (confirmed.statusCode !== 200) throw new Error(`confirmation failed: ${confirmed.statusCode} ${confirmed.body}`);
  return { accountId, email, password, accessToken, secret, recoveryCodes: confirmed.json().recoveryCodes };
}

/** The mfaToken of a right password (fails the test when the answer is anything else). */
export async function mfaTokenFor(
  auth: AuthHarness,
  user: { email: string; password: string },
  context: Record<string, string> = {},
): Promise<string> {
  const res = await auth.signIn(user.email, user.password, context);
  const body = res.json();
  if (res.statusCode !== 200 || body.mfaRequired !== true) throw new Error(`expected mfaRequired: ${res.body}`);
  return body.mfaToken;
}

export const secondStep = (
  auth: AuthHarness,
  payload: { mfaToken: string; code?: string; recoveryCode?: string; context?: Record<string, string> },
): Promise<LightMyRequestResponse> => auth.wallet({ method: 'POST', url: '/v1/sessions/mfa', payload });
