import { createHash, randomBytes } from 'node:crypto';

/**
 * Prefixes say what a token is for (and let secret scanners find leaked ones); the rest is 32
 * random bytes, base64url.
 */
export const TOKEN_PREFIX = {
  refresh: 'rt_',
  password_reset: 'rs_',
  unlock: 'ul_',
  freeze: 'fz_',
  mfa: 'mf_',
} as const;

export type TokenKind = keyof typeof TOKEN_PREFIX;

export function newOpaqueToken(kind: TokenKind): string {
  return `${TOKEN_PREFIX[kind]}${randomBytes(32).toString('base64url')}`;
}

/** What the database keeps: 256 random bits need no slow hash, only one that cannot be reversed. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
