import type { AuthTokenPair } from '@wallet-guard/contracts';

/** Whom the cookie says is signed in: auth's tokens, encrypted in the cookie, never in a URL or log. */
export interface SignedInSession {
  accessToken: string;
  refreshToken: string;
  sessionId: string;
  /** The address the customer signed in with, shown on the account page. */
  email: string;
  /** When the access token expires (ms since the epoch, by the portal's clock). */
  accessExpiresAt: number;
  /** The account's language (BCP 47, from auth): pages use it when no language was chosen. */
  locale?: string;
  /**
   * Auth restricted the session (issue 16): the password is on the leaked-password list, so every
   * page but the password change (`PAGE_PATHS.passwordRequired`) and sign-out sends there.
   * `methods`: the account's factors the change needs (from its second step; none when it had none).
   */
  restriction?: { kind: 'password_change'; methods: string[] };
}

/** A right password on an account with two-step verification: the second step's token. */
export interface PendingSecondStep {
  mfaToken: string;
  email: string;
  /** What auth accepts for this account's second step (`totp`, `recovery`, `passkey`, or `email_code` alone). */
  methods?: string[];
}

/** One-shot messages shown on the next page (after a redirect). */
export type Flash = 'signedOut' | 'sessionEnded' | 'signInToConfirm';

/** One-shot messages of the security page (after a redirect): keys under `security.flash`. */
export type SecurityFlash =
  | 'twoStepOff'
  | 'twoStepAlreadyOn'
  | 'twoStepNotPending'
  | 'passwordChanged'
  | 'sessionRevoked'
  | 'othersRevoked'
  | 'passkeyAdded'
  | 'passkeyRenamed'
  | 'passkeyRemoved';

declare module '@fastify/secure-session' {
  interface SessionData {
    signedIn: SignedInSession;
    pendingSecondStep: PendingSecondStep;
    flash: Flash;
    securityFlash: SecurityFlash;
    /** A signed-in page asked for before sign-in (a payment confirmation): where sign-in goes next. */
    returnTo: string;
  }
}

/** The session to keep after auth issued `pair` for `email` (whose account speaks `locale`), at `now`. */
export const signedInSession = (
  pair: AuthTokenPair,
  email: string,
  now: Date,
  locale?: string | undefined,
): SignedInSession => ({
  accessToken: pair.accessToken,
  refreshToken: pair.refreshToken,
  sessionId: pair.sessionId,
  email,
  accessExpiresAt: now.getTime() + pair.expiresIn * 1000,
  ...(locale ? { locale } : {}),
});
