import type { ClientContext } from '@wallet-guard/contracts';
import { findAccount } from '../accounts/accounts-store';
import { emailKey } from '../accounts/email';
import { type AuthDeps, inTransaction } from '../deps';
import { authErrors } from '../errors';
import { publish, securityEvent } from '../security-events/publish';
import { requireStepUp, type StepUpProof } from '../sessions/second-factor';
import { consumeOneTimeToken, peekOneTimeToken } from '../tokens/one-time-tokens';
import { voidTokensFor } from '../tokens/token-lifecycle';
import { clearLocks } from './lockout-store';

/**
 * Self-service unlock with the link sent at lock time: lifts every lock of the account, hard
 * ones included. With two-factor on, a code is needed too (checked before the token is used).
 */
export async function unlockWithToken(
  deps: AuthDeps,
  input: { token: string; context: ClientContext } & StepUpProof,
): Promise<void> {
  const now = deps.clock();
  const accountId = await peekOneTimeToken(deps.db, 'unlock', input.token, now);
  const account = accountId ? await findAccount(deps.db, accountId) : undefined;
  if (!account) throw authErrors.invalidToken();
  await requireStepUp(deps, account, input, input.context, 'unlock');
  await inTransaction(deps, async (trx) => {
    if (!(await consumeOneTimeToken(trx, 'unlock', input.token, now))) throw authErrors.invalidToken();
    await clearLocks(trx, emailKey(account.emailNormalized), now);
    await voidTokensFor(trx, account.id, 'locks_lifted', now);
    await publish(trx, [securityEvent('account.unlocked', account.id, { by: 'user', context: input.context })]);
  });
}

/** An agent lifts the locks from a support case (the case id and actor go into the event). */
export async function unlockByAgent(
  deps: AuthDeps,
  accountId: string,
  input: { actor: string; caseId?: string | undefined; reason?: string | undefined },
): Promise<void> {
  const now = deps.clock();
  await inTransaction(deps, async (trx) => {
    const account = await findAccount(trx, accountId);
    if (!account) throw authErrors.accountNotFound();
    await clearLocks(trx, emailKey(account.emailNormalized), now);
    await voidTokensFor(trx, account.id, 'locks_lifted', now);
    await publish(trx, [
      securityEvent('account.unlocked', account.id, {
        by: 'agent',
        actor: input.actor,
        caseId: input.caseId,
        context: {},
      }),
    ]);
    deps.logger.info({ accountId, actor: input.actor, reason: input.reason }, 'account unlocked by an agent');
  });
}
