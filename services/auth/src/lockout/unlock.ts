import type { ClientContext } from '@wallet-guard/contracts';
import { commitThenDeliver } from '@wallet-guard/messaging';
import { findAccount } from '../accounts/accounts-store';
import { emailKey } from '../accounts/email';
import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import { publish, securityEvent } from '../security-events/publish';
import type { StepUpProof } from '../step-up/second-factor-provider';
import { requireStepUp } from '../step-up/step-up-check';
import { consumeOneTimeToken, peekOneTimeToken } from '../tokens/one-time-tokens';
import { voidTokensFor } from '../tokens/token-lifecycle';
import { liftAllLocks } from './lockout-store';

/**
 * Self-service unlock with the link sent at lock time: lifts every lock of the account, hard
 * ones included. With two-factor on, a code is needed too (checked before the token is used).
 */
export async function unlockWithToken(
  ctx: AuthContext,
  input: { token: string; context: ClientContext } & StepUpProof,
): Promise<void> {
  const now = ctx.clock();
  const accountId = await peekOneTimeToken(ctx.db, 'unlock', input.token, now);
  const account = accountId ? await findAccount(ctx.db, accountId) : undefined;
  if (!account) throw authErrors.invalidToken();
  await requireStepUp(ctx, account, input, input.context, 'unlock');
  await commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
    if (!(await consumeOneTimeToken(trx, 'unlock', input.token, now))) throw authErrors.invalidToken();
    await liftAllLocks(trx, emailKey(account.emailNormalized), now);
    await voidTokensFor(trx, account.id, 'locks_lifted', now);
    await publish(trx, [securityEvent('account.unlocked', account.id, { by: 'user', context: input.context })]);
  });
}

/** An agent lifts the locks from a support case (the case id and actor go into the event). */
export async function unlockByAgent(
  ctx: AuthContext,
  accountId: string,
  input: { actor: string; caseId?: string | undefined; reason?: string | undefined },
): Promise<void> {
  const now = ctx.clock();
  await commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
    const account = await findAccount(trx, accountId);
    if (!account) throw authErrors.accountNotFound();
    await liftAllLocks(trx, emailKey(account.emailNormalized), now);
    await voidTokensFor(trx, account.id, 'locks_lifted', now);
    await publish(trx, [
      securityEvent('account.unlocked', account.id, {
        by: 'agent',
        actor: input.actor,
        caseId: input.caseId,
        context: {},
      }),
    ]);
    ctx.logger.info({ accountId, actor: input.actor, reason: input.reason }, 'account unlocked by an agent');
  });
}
