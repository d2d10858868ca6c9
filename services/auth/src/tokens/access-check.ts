import type { SessionRestriction } from '@wallet-guard/db';
import type { AuthContext } from '../auth-context';
import { findActiveSession } from '../sessions/sessions-store';
import type { AccessClaims } from './access-tokens';

/**
 * The claims of an access token that is valid now and whose session is still active. A signature
 * alone is not enough: freezing, signing out and reuse revoke the session at once. `authTime` is
 * when the session's sign-in checked the credentials (OIDC `auth_time`): refreshes keep it.
 * `restriction` is the session's now, not the token's `rst`: a password change lifts it at once,
 * though the token in hand keeps its claim until it is refreshed.
 */
export async function activeAccessClaims(
  ctx: AuthContext,
  token: string,
): Promise<(AccessClaims & { authTime: Date; restriction: SessionRestriction | null }) | null> {
  const now = ctx.clock();
  const claims = await ctx.accessTokens.verify(token, now);
  if (!claims) return null;
  const session = await findActiveSession(ctx.db, claims.sid, claims.sub, now);
  return session ? { ...claims, authTime: session.createdAt, restriction: session.restriction } : null;
}
