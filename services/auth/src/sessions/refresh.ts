import type { ClientContext } from '@wallet-guard/contracts';
import { commitThenDeliver } from '@wallet-guard/messaging';
import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import { publish, securityEvent } from '../security-events/publish';
import { revokeSession, rotateRefreshToken } from './sessions-store';
import type { TokenPair } from './sign-in';

/**
 * Swaps a refresh token for a new pair. A token that was already used means a copy exists: the
 * whole session is revoked and `refresh_token.reused` recorded (committed before the 401).
 * No hashing: this stays fast while sign-ins fill the hashing pool.
 */
export async function refreshSession(
  ctx: AuthContext,
  refreshToken: string,
  context: ClientContext,
): Promise<TokenPair> {
  const now = ctx.clock();
  const result = await commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
    const rotated = await rotateRefreshToken(trx, refreshToken, context, now, ctx.config.tokens);
    if (rotated.kind === 'reused') {
      await revokeSession(trx, rotated.accountId, rotated.sessionId, 'refresh_token_reused', now);
      await publish(trx, [
        securityEvent('refresh_token.reused', rotated.accountId, { sessionId: rotated.sessionId, context }),
      ]);
      ctx.logger.warn(
        { accountId: rotated.accountId, sessionId: rotated.sessionId },
        'refresh token reused; session revoked',
      );
    }
    return rotated;
  });
  if (result.kind !== 'rotated') throw authErrors.invalidToken();
  const { session } = result;
  // A restricted session stays restricted across refreshes: `rst` comes from the session row.
  const accessToken = await ctx.accessTokens.sign(
    {
      accountId: session.accountId,
      sessionId: session.id,
      amr: session.amr,
      aal: session.aal,
      restriction: session.restriction,
    },
    now,
  );
  return {
    accessToken,
    refreshToken: result.refreshToken,
    expiresIn: ctx.accessTokens.ttlSeconds,
    sessionId: session.id,
    ...(session.restriction ? { restriction: session.restriction } : {}),
  };
}
