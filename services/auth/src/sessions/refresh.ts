import type { ClientContext } from '@wallet-guard/contracts';
import { type AuthDeps, inTransaction } from '../deps';
import { authErrors } from '../errors';
import { publish, securityEvent } from '../security-events/publish';
import { revokeSession, rotateRefreshToken } from './sessions-store';
import type { TokenPair } from './sign-in';

/**
 * Swaps a refresh token for a new pair. A token that was already used means a copy exists: the
 * whole session is revoked and `refresh_token.reused` recorded (committed before the 401).
 * No hashing: this stays fast while sign-ins fill the hashing pool.
 */
export async function refreshSession(deps: AuthDeps, refreshToken: string, context: ClientContext): Promise<TokenPair> {
  const now = deps.clock();
  const result = await inTransaction(deps, async (trx) => {
    const rotated = await rotateRefreshToken(trx, refreshToken, context, now, deps.config.tokens);
    if (rotated.kind === 'reused') {
      await revokeSession(trx, rotated.accountId, rotated.sessionId, 'refresh_token_reused', now);
      await publish(trx, [
        securityEvent('refresh_token.reused', rotated.accountId, { sessionId: rotated.sessionId, context }),
      ]);
      deps.logger.warn(
        { accountId: rotated.accountId, sessionId: rotated.sessionId },
        'refresh token reused; session revoked',
      );
    }
    return rotated;
  });
  if (result.kind !== 'rotated') throw authErrors.invalidToken();
  const { session } = result;
  const accessToken = await deps.accessTokens.sign(
    { accountId: session.accountId, sessionId: session.id, amr: session.amr, aal: session.aal },
    now,
  );
  return {
    accessToken,
    refreshToken: result.refreshToken,
    expiresIn: deps.accessTokens.ttlSeconds,
    sessionId: session.id,
  };
}
