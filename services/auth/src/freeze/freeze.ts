import type { ClientContext } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { commitThenDeliver } from '@wallet-guard/messaging';
import type { Transaction } from 'kysely';
import { type Account, findAccount } from '../accounts/accounts-store';
import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import { notification, publish, securityEvent } from '../security-events/publish';
import { revokeAllSessions } from '../sessions/sessions-store';
import { consumeOneTimeToken } from '../tokens/one-time-tokens';
import { voidTokensFor } from '../tokens/token-lifecycle';

export interface FreezeRequest {
  by: 'user' | 'agent' | 'system';
  reason?: string | undefined;
  actor?: string | undefined;
  caseId?: string | undefined;
  context: ClientContext;
}

/**
 * Freezes the account in the caller's transaction: sign-in stops, every session (and with it
 * every refresh token) ends, pending reset and unlock links die, `account.frozen` is recorded and
 * the owner told. Freezing a frozen account changes nothing. Returns whether it froze now.
 */
async function freezeAccount(
  trx: Transaction<Database>,
  ctx: AuthContext,
  account: Account,
  request: FreezeRequest,
): Promise<boolean> {
  const now = ctx.clock();
  const frozen = await trx
    .updateTable('auth_accounts')
    .set({ status: 'frozen', frozen_at: now, frozen_by: request.by, frozen_reason: request.reason ?? null })
    .where('id', '=', account.id)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (frozen.numUpdatedRows === 0n) return false;
  const sessions = await revokeAllSessions(trx, account.id, 'account_frozen', now);
  await voidTokensFor(trx, account.id, 'frozen', now);
  await publish(trx, [
    securityEvent('account.frozen', account.id, {
      by: request.by,
      reason: request.reason,
      actor: request.actor,
      caseId: request.caseId,
      context: request.context,
    }),
    notification('notification.account_frozen', account, {}),
  ]);
  ctx.logger.warn({ accountId: account.id, by: request.by, sessionsRevoked: sessions }, 'account frozen');
  return true;
}

/** "Was this you? No": the freeze token from a notification freezes the account, once. */
export async function freezeWithToken(ctx: AuthContext, token: string, context: ClientContext): Promise<void> {
  const now = ctx.clock();
  await commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
    const accountId = await consumeOneTimeToken(trx, 'freeze', token, now);
    const account = accountId ? await findAccount(trx, accountId) : undefined;
    if (!account) throw authErrors.invalidToken();
    await freezeAccount(trx, ctx, account, { by: 'user', reason: 'reported from a notification', context });
  });
}

/** Freeze by id (the signed-in user, or an agent); 404 when there is no such account. */
export async function freezeById(ctx: AuthContext, accountId: string, request: FreezeRequest): Promise<void> {
  await commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
    const account = await findAccount(trx, accountId);
    if (!account) throw authErrors.accountNotFound();
    await freezeAccount(trx, ctx, account, request);
  });
}

/**
 * Only an agent (internal scope) unfreezes; sign-in works again with the same password. Every
 * freeze link sent before dies with it: the agent settled the matter, and whoever reads the
 * mailbox must not be able to freeze the account (ending every session, opening a case) again
 * and again with an old notification. Later notifications carry new links.
 */
export async function unfreeze(
  ctx: AuthContext,
  accountId: string,
  request: { actor: string; caseId?: string | undefined; reason?: string | undefined },
): Promise<void> {
  await commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
    const account = await findAccount(trx, accountId);
    if (!account) throw authErrors.accountNotFound();
    const changed = await trx
      .updateTable('auth_accounts')
      .set({ status: 'active', frozen_at: null, frozen_by: null, frozen_reason: null })
      .where('id', '=', accountId)
      .where('status', '=', 'frozen')
      .executeTakeFirst();
    if (changed.numUpdatedRows === 0n) return;
    await voidTokensFor(trx, accountId, 'unfrozen', ctx.clock());
    await publish(trx, [
      securityEvent('account.unfrozen', accountId, { actor: request.actor, caseId: request.caseId, context: {} }),
    ]);
    ctx.logger.info({ accountId, actor: request.actor, reason: request.reason }, 'account unfrozen');
  });
}
