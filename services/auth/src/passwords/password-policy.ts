import type { AuthConfig } from '@wallet-guard/config';
import type { StrengthEstimate } from './strength';

export type PolicySettings = AuthConfig['passwords']['policy'];

export type PolicyReason =
  | 'too_short'
  | 'too_long'
  | 'common'
  | 'contains_email'
  | 'resembles_email'
  | 'too_weak'
  | 'reused'
  | 'missing_lowercase'
  | 'missing_uppercase'
  | 'missing_digit'
  | 'missing_symbol';

/** One broken rule: a stable `reason` for code, a `message` for people, zxcvbn's advice when weak. */
export interface PolicyViolation {
  reason: PolicyReason;
  message: string;
  feedback?: { warning: string | null; suggestions: string[] };
}

/** Passwords are compared and counted as NFKC, so look-alike compositions are one password. */
const normalisePassword = (password: string): string => password.normalize('NFKC');

/** Length in characters (code points), as NIST SP 800-63B counts it, not UTF-16 units. */
export const passwordLength = (password: string): number => [...normalisePassword(password)].length;

/** What zxcvbn gets as the user's own data: the email, its local part and the words in it. */
export function emailInputs(email: string): string[] {
  if (email.trim() === '') return [];
  const lower = email.toLowerCase();
  const local = lower.split('@')[0] ?? lower;
  const words = local.split(/[._+-]+/).filter((w) => w.length >= 3);
  return [...new Set([lower, local, ...words])];
}

/** The rules that need neither hashing nor zxcvbn: length, the common list, the email, composition. */
export function quickViolations(
  password: string,
  email: string,
  settings: PolicySettings,
  common: ReadonlySet<string>,
): PolicyViolation[] {
  const normalised = normalisePassword(password);
  const lower = normalised.toLowerCase();
  const length = passwordLength(password);
  const violations: PolicyViolation[] = [];
  if (length < settings.minLength) {
    violations.push({ reason: 'too_short', message: `Use at least ${settings.minLength} characters` });
  }
  if (length > settings.maxLength) {
    violations.push({ reason: 'too_long', message: `Use at most ${settings.maxLength} characters` });
  }
  if (common.has(lower)) {
    violations.push({ reason: 'common', message: 'This is one of the most common passwords' });
  }
  const mail = email.trim().toLowerCase();
  const local = mail.split('@')[0] ?? '';
  // Without an e-mail (a check before the account exists) there is nothing to contain: every
  // string includes the empty one.
  if (mail !== '' && ((local.length >= 3 && lower.includes(local)) || lower.includes(mail))) {
    violations.push({ reason: 'contains_email', message: 'Do not use your email address in your password' });
  }
  if (settings.requireComposition) violations.push(...compositionViolations(normalised));
  return violations;
}

/** Composition rules: off by default (NIST SP 800-63B 5.1.1.2 advises against them). */
function compositionViolations(password: string): PolicyViolation[] {
  const rules: [RegExp, PolicyReason, string][] = [
    [/\p{Ll}/u, 'missing_lowercase', 'Add a lower-case letter'],
    [/\p{Lu}/u, 'missing_uppercase', 'Add an upper-case letter'],
    [/\p{Nd}/u, 'missing_digit', 'Add a digit'],
    [/[^\p{L}\p{Nd}]/u, 'missing_symbol', 'Add a symbol or a space'],
  ];
  return rules.filter(([pattern]) => !pattern.test(password)).map(([, reason, message]) => ({ reason, message }));
}

/**
 * From this share of characters matching the email's parts (l33t and reversal included) on, a
 * password "resembles" the email: "Lovelace.Ada.1815!" does, "lovelace-tangerine-orbit" does not.
 */
const RESEMBLANCE_SHARE = 0.4;

/** zxcvbn's verdict as violations: too weak, or made largely of the user's email. */
export function strengthViolations(
  estimate: StrengthEstimate,
  settings: PolicySettings,
  alreadyContainsEmail: boolean,
): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  if (!alreadyContainsEmail && estimate.userInputShare >= RESEMBLANCE_SHARE) {
    violations.push({ reason: 'resembles_email', message: 'Your password looks too much like your email address' });
  }
  if (estimate.score < settings.minStrength) {
    violations.push({
      reason: 'too_weak',
      message: 'This password would be easy to guess',
      feedback: { warning: estimate.warning, suggestions: estimate.suggestions },
    });
  }
  return violations;
}

export const reusedViolation = (history: number): PolicyViolation => ({
  reason: 'reused',
  message: `Choose a password you have not used for your last ${history} passwords`,
});
