/**
 * The account portal's paths: its contract with every message the notifier sends. Single-use
 * tokens travel only in the fragment (`#token=`), which browsers never send to a server, so no
 * proxy or access log keeps them; the portal reads the fragment in the browser and posts the token.
 */
export const PORTAL_PATHS = {
  unlock: '/unlock',
  resetPassword: '/reset-password',
  /** "This wasn't me": freezes the account (new sign-in, password or two-factor change). */
  freeze: '/freeze',
  /** Followed by `/<case number>`, e.g. `/cases/CASE-000123`. */
  cases: '/cases',
  security: '/security',
} as const;
