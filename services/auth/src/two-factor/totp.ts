import { randomBytes } from 'node:crypto';
import { generateURI, ScureBase32Plugin, verify } from 'otplib';

/** RFC 6238 as every authenticator app implements it: HMAC-SHA-1, 6 digits, 30-second steps. */
const TOTP = { algorithm: 'sha1', digits: 6, periodSeconds: 30 } as const;

/** 160 bits: the HMAC-SHA-1 block RFC 4226 section 4 recommends as the minimum secret length. */
const SECRET_BYTES = 20;

const base32 = new ScureBase32Plugin();

/** A new secret from the CSPRNG. */
export const newTotpSecret = (): Uint8Array => new Uint8Array(randomBytes(SECRET_BYTES));

/** The base32 form the user types in when they cannot scan the QR code. */
export const base32Secret = (secret: Uint8Array): string => base32.encode(secret);

/** The RFC 6238 time step (counter) of a moment. */
export const timeStep = (at: Date): number => Math.floor(at.getTime() / 1000 / TOTP.periodSeconds);

/** The `otpauth://totp/...` URI authenticator apps read from the QR code. */
export function otpauthUri(input: { issuer: string; label: string; secret: Uint8Array }): string {
  return generateURI({
    issuer: input.issuer,
    label: input.label,
    secret: base32Secret(input.secret),
    algorithm: TOTP.algorithm,
    digits: TOTP.digits,
    period: TOTP.periodSeconds,
  });
}

/**
 * Checks `code` against the steps within `driftSteps` of `at`, skipping every step at or before
 * `afterStep` (the last one accepted: a code is good once). Returns the step it matched, or null.
 * Never throws: malformed codes and impossible `afterStep` values are simply no match.
 */
export async function matchTotpCode(input: {
  secret: Uint8Array;
  code: string;
  at: Date;
  driftSteps: number;
  afterStep: number | null;
}): Promise<{ step: number } | null> {
  if (!/^\d{6}$/.test(input.code)) return null;
  // otplib refuses an afterTimeStep beyond the newest step in the window; nothing could match then.
  if (input.afterStep !== null && input.afterStep >= timeStep(input.at) + input.driftSteps) return null;
  const result = await verify({
    secret: input.secret,
    token: input.code,
    algorithm: TOTP.algorithm,
    digits: TOTP.digits,
    period: TOTP.periodSeconds,
    epoch: Math.floor(input.at.getTime() / 1000),
    // In seconds: n steps either side of `at` is exactly n periods.
    epochTolerance: input.driftSteps * TOTP.periodSeconds,
    ...(input.afterStep === null ? {} : { afterTimeStep: input.afterStep }),
  });
  // `verify` types cover HOTP too; a TOTP match always carries its time step.
  return result.valid && 'timeStep' in result ? { step: result.timeStep } : null;
}
