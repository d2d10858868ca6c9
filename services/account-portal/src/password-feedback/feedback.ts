import type { AuthPasswordViolation } from '@wallet-guard/contracts';
import { reasonKey } from '../email-links/pages';
import type { Translate } from '../i18n/translator';

/** What the reset page shows as the customer types, in their language. */
export interface PasswordFeedback {
  /** True when auth's policy found nothing wrong (the history rule is checked on submit only). */
  acceptable: boolean;
  /** One line: "this password can be used" or "this password cannot be used:". */
  summary: string;
  /** One sentence per broken rule, in the order auth listed them, without repeats. */
  problems: string[];
}

/**
 * Auth's verdict in the customer's words: the same sentences the page shows after a refused
 * submit (`reset.reasons.*`), so the live hint and the server's answer never disagree.
 */
export function feedbackOf(violations: readonly AuthPasswordViolation[], t: Translate): PasswordFeedback {
  if (violations.length === 0) return { acceptable: true, summary: t('reset.feedback.acceptable'), problems: [] };
  const keys = [...new Set(violations.map((v) => reasonKey(v.reason)))];
  return {
    acceptable: false,
    summary: t('reset.refused'),
    problems: keys.map((key) => t(`reset.reasons.${key}`)),
  };
}
