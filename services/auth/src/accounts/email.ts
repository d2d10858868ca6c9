import { createHash } from 'node:crypto';

/** As shown and mailed: trimmed, NFKC (the user's capitalisation kept). */
export const displayEmail = (email: string): string => email.trim().normalize('NFKC');

/** The sign-in identifier: trimmed, NFKC, lower-cased, so "Ada@Example.com " is one account. */
export const normaliseEmail = (email: string): string => displayEmail(email).toLowerCase();

/**
 * What failure counters are keyed by: a hash of the normalised email. Unknown emails are counted
 * too (they behave exactly like known ones) without storing what strangers typed.
 */
export const emailKey = (normalisedEmail: string): string =>
  createHash('sha256').update(normalisedEmail, 'utf8').digest('hex');
