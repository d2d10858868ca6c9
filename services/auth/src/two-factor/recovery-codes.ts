import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** How many codes a set has, and when the owner is told to make a new set. */
export const RECOVERY_CODES = { perSet: 10, lowAt: 2 } as const;

// Crockford's base32 alphabet: no i, l, o or u, so nothing reads as another character; 5 bits each.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
/** 2 groups of 5 characters: 50 random bits, `xxxxx-xxxxx`. */
const GROUP = 5;
const GROUPS = 2;
const LENGTH = GROUP * GROUPS;

/** What the database keeps of one code. */
export interface HashedRecoveryCode {
  salt: string;
  hash: string;
}

/**
 * A new set from the CSPRNG: the codes in the grouped form shown to the user (once), and what the
 * database keeps of them.
 */
export function newRecoveryCodeSet(): { codes: string[]; hashed: HashedRecoveryCode[] } {
  const raw = Array.from({ length: RECOVERY_CODES.perSet }, () =>
    Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
  );
  return {
    codes: raw.map((code) => `${code.slice(0, GROUP)}-${code.slice(GROUP)}`),
    hashed: raw.map((code) => hashRecoveryCode(code)),
  };
}

/**
 * The canonical form of what a user typed: case, spaces and dashes ignored, and the letters
 * Crockford's alphabet leaves out read as the digits they resemble. Null when it cannot be a code.
 */
export function normaliseRecoveryCode(input: string): string | null {
  const compact = input
    .toLowerCase()
    .replace(/[\s-]/g, '')
    .replace(/[io]/g, (c) => (c === 'o' ? '0' : '1'))
    .replace(/l/g, '1');
  if (compact.length !== LENGTH || [...compact].some((c) => !ALPHABET.includes(c))) return null;
  return compact;
}

/**
 * HMAC-SHA-256 under a random per-code salt. A fast hash is enough here, unlike for passwords:
 * the codes are 50 random bits, so there is no dictionary to try, the salt stops precomputed
 * tables and matching one code across accounts, guessing online is capped by the lockout, and an
 * offline search still costs about 2^49 hashes per code and is only of use together with the
 * password. A slow hash would instead make every step-up pay for up to ten verifications.
 */
export function hashRecoveryCode(normalised: string, salt = randomBytes(16).toString('hex')): HashedRecoveryCode {
  return { salt, hash: createHmac('sha256', Buffer.from(salt, 'hex')).update(normalised, 'utf8').digest('hex') };
}

/** Which stored code (by index) `input` is, comparing in constant time; -1 for none. */
export function findRecoveryCode(input: string, stored: readonly HashedRecoveryCode[]): number {
  const normalised = normaliseRecoveryCode(input);
  if (normalised === null) return -1;
  let found = -1;
  // Every stored code is compared, so the time taken does not say which one matched.
  stored.forEach((code, index) => {
    const candidate = Buffer.from(hashRecoveryCode(normalised, code.salt).hash, 'hex');
    const expected = Buffer.from(code.hash, 'hex');
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected) && found === -1) found = index;
  });
  return found;
}
