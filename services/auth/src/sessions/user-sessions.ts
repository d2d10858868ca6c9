import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import type { AuthenticatedUser } from '../tokens/user-auth';
import { listActiveSessions, revokeAllSessions, revokeSession, type Session } from './sessions-store';

/** The user's active sessions, most recently used first, each marked when it is the caller's. */
export async function listUserSessions(
  ctx: AuthContext,
  user: AuthenticatedUser,
): Promise<Array<Session & { current: boolean }>> {
  const sessions = await listActiveSessions(ctx.db, user.accountId, ctx.clock());
  return sessions.map((session) => ({ ...session, current: session.id === user.sessionId }));
}

/** Sign-out: ends the session of the caller's access token. */
export async function signOut(ctx: AuthContext, user: AuthenticatedUser): Promise<void> {
  await revokeSession(ctx.db, user.accountId, user.sessionId, 'signed_out', ctx.clock());
}

/** Ends one of the user's sessions; 404 when it is not theirs or already ended. */
export async function endUserSession(ctx: AuthContext, user: AuthenticatedUser, sessionId: string): Promise<void> {
  if (!(await revokeSession(ctx.db, user.accountId, sessionId, 'revoked_by_user', ctx.clock()))) {
    throw authErrors.sessionNotFound();
  }
}

/** Ends every session of the user, the caller's included. */
export async function endAllUserSessions(ctx: AuthContext, user: AuthenticatedUser): Promise<void> {
  await revokeAllSessions(ctx.db, user.accountId, 'revoked_all_by_user', ctx.clock());
}
