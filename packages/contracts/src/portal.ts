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
  /** After a case's path: its rating form, see `satisfactionPath`. */
  satisfaction: '/satisfaction',
} as const;

/**
 * A resolved case's rating form with `rating` (1-5) already chosen, e.g.
 * `/cases/CASE-000123/satisfaction?rating=4`: one link per rating in the resolution e-mail. The
 * link holds no secret (the rating is not one) and saves nothing: the portal shows the form to the
 * signed-in owner of the case, who sends it (a mail scanner following the link rates nothing, and
 * a stranger with the link cannot rate).
 */
export const satisfactionPath = (caseNumber: string, rating: number): string =>
  `${PORTAL_PATHS.cases}/${encodeURIComponent(caseNumber)}${PORTAL_PATHS.satisfaction}?rating=${rating}`;
