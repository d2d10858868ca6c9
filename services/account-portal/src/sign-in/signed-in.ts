import type { AuthTokenPair } from '@wallet-guard/contracts';
import type { AuthClient } from '../auth/auth-client';
import { type SignedInSession, signedInSession } from '../web/session';

/**
 * The session to keep once auth signed `email` in: its tokens and the account's language, which
 * the pages use when the customer chose none (`lang` cookie). Without `email` (a passkey sign-in
 * names no one), the account's address from auth. `now` is taken before this call, so the access
 * token is thought to expire a little early, never late. Never throws: without an answer about
 * the account the pages fall back to Accept-Language (and show no address), not worth failing a sign-in.
 */
export async function sessionAfterSignIn(
  auth: AuthClient,
  input: { pair: AuthTokenPair; email?: string; now: Date; requestId?: string },
): Promise<SignedInSession> {
  const account = await auth.ownAccount({ bearer: input.pair.accessToken, requestId: input.requestId });
  const locale = account.outcome === 'ok' ? account.body.locale : undefined;
  const email = input.email ?? (account.outcome === 'ok' ? account.body.email : '');
  return signedInSession(input.pair, email, input.now, locale);
}
