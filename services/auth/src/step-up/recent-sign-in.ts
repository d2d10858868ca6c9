import type { ClientContext } from '@wallet-guard/contracts';
import type { Account } from '../accounts/accounts-store';
import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import { verifyCurrentPassword } from '../passwords/change-password';
import type { AuthenticatedUser } from '../tokens/user-auth';

/**
 * Proof, beyond a valid access token, that the account holder is at the keyboard now, for the
 * changes a stolen token must not make (adding or removing an authenticator or recovery codes,
 * the password, the e-mail): the current password in the request (checked and counted like a
 * sign-in, so it is no oracle), or else a sign-in at most `AUTH_RECENT_SIGN_IN_SECONDS` (300)
 * ago. OWASP ASVS 4.0 3.7.1 / NIST SP 800-63B 7.2 (re-authentication); RFC 9470 for the answer:
 * 401 `AUTH_REAUTHENTICATION_REQUIRED` with `WWW-Authenticate: Bearer
 * error="insufficient_user_authentication"`. A wrong password is 401 `AUTH_INVALID_CREDENTIALS`.
 * Returns the account when the password was checked.
 */
export async function requireRecentSignIn(
  ctx: AuthContext,
  user: AuthenticatedUser,
  input: { password?: string | undefined; context: ClientContext },
): Promise<Account | undefined> {
  if (input.password !== undefined) return verifyCurrentPassword(ctx, user, input.password, input.context);
  const ageMs = ctx.clock().getTime() - user.authTime.getTime();
  if (ageMs <= ctx.config.tokens.recentSignInSeconds * 1000) return undefined;
  throw authErrors.reauthenticationRequired();
}

/**
 * `requireRecentSignIn` for adding or dropping a strong factor (a passkey) on an account that has
 * a second factor: on top, the access token's session must have been signed in at aal 2. A
 * session from before the account's second factor (aal 1) with the password is one factor, and
 * must not add a passkey (which signs in at aal 2 alone) nor take the last strong factor away;
 * that holder signs in again with the second step. NIST SP 800-63B-4 §4.2.2 / §6.1.2.1 (binding
 * and removing authenticators at the account's assurance level). 401 AUTH_REAUTHENTICATION_REQUIRED.
 */
export async function requireRecentStrongSignIn(
  ctx: AuthContext,
  user: AuthenticatedUser,
  input: { password?: string | undefined; context: ClientContext },
): Promise<Account | undefined> {
  if (user.aal < 2) throw authErrors.reauthenticationRequired();
  return requireRecentSignIn(ctx, user, input);
}
