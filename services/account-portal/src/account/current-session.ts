import type { ClientContext } from '@wallet-guard/contracts';
import type { AuthClient } from '../auth/auth-client';
import { type SignedInSession, signedInSession } from '../web/session';

export type SessionCheck =
  | { kind: 'active'; session: SignedInSession }
  /** The access token had expired; auth swapped the refresh token for a new pair: keep this one. */
  | { kind: 'refreshed'; session: SignedInSession }
  /** Auth ended the session (sign-out, password reset, freeze, revoked): the cookie is worthless. */
  | { kind: 'ended' }
  | { kind: 'unavailable' };

/**
 * Whether the session in a cookie is still one auth honours: its access token is introspected
 * (so a cookie replayed after sign-out, a reset or a freeze is refused at once, not when the
 * token expires); an expired one is refreshed once. Never throws.
 */
export async function checkSession(
  auth: AuthClient,
  input: { session: SignedInSession; now: Date; context: ClientContext; requestId?: string },
): Promise<SessionCheck> {
  const { session, now, requestId } = input;
  if (session.accessExpiresAt > now.getTime()) {
    const answer = await auth.introspect({ body: { token: session.accessToken }, requestId });
    if (answer.outcome === 'unavailable') return { kind: 'unavailable' };
    if (answer.outcome === 'ok' && answer.body.active && answer.body.sid === session.sessionId) {
      return { kind: 'active', session };
    }
    // Inactive although unexpired: the session itself ended; a refresh would be refused too.
    if (answer.outcome === 'ok') return { kind: 'ended' };
  }
  const refreshed = await auth.refreshSession({
    body: { refreshToken: session.refreshToken, context: input.context },
    requestId,
  });
  if (refreshed.outcome === 'ok') {
    return { kind: 'refreshed', session: signedInSession(refreshed.body, session.email, now, session.locale) };
  }
  return refreshed.outcome === 'refused' ? { kind: 'ended' } : { kind: 'unavailable' };
}

/**
 * Ends the auth session behind a cookie (the portal then clears the cookie whatever auth said):
 * the access token goes as the call's bearer, never logged. A 401 means the session had already
 * ended, which is what sign-out wants. Never throws.
 */
export async function signOutOf(
  auth: AuthClient,
  session: SignedInSession,
  requestId?: string,
): Promise<'ended' | 'unavailable'> {
  const answer = await auth.signOut({ bearer: session.accessToken, requestId });
  if (answer.outcome === 'ok' || (answer.outcome === 'refused' && answer.status === 401)) return 'ended';
  return 'unavailable';
}
