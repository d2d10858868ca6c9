import type { ClientContext } from '@wallet-guard/contracts';
import { type Account, findWithSources } from '../accounts/accounts-store';
import { emailKey } from '../accounts/email';
import { type AuthDeps, inTransaction } from '../deps';
import { authErrors } from '../errors';
import { resetFailures } from '../lockout/lockout-store';
import { checkPassword, recordFailure } from '../lockout/password-attempt';
import { publish, securityEvent } from '../security-events/publish';
import { requireStepUp, type StepUpProof } from '../sessions/second-factor';
import { revokeAllSessions } from '../sessions/sessions-store';
import { voidTokensFor } from '../tokens/token-lifecycle';
import type { AuthenticatedUser } from '../tokens/user-auth';
import { newPasswordFor, passwordChangedNotice } from './new-password';
import { setPassword } from './password-store';

/**
 * The signed-in user's current password, checked under the lockout rules (a stolen session must
 * not become a password oracle): a wrong one is counted and answered 401; a right one starts the
 * counter afresh and gives the account.
 */
export async function verifyCurrentPassword(
  deps: AuthDeps,
  user: AuthenticatedUser,
  password: string,
  context: ClientContext,
): Promise<Account> {
  const { target, verdict } = await checkPassword(
    deps,
    async () => {
      const found = await findWithSources(deps.db, { id: user.accountId }, context);
      if (!found) throw authErrors.invalidAccessToken();
      const { account, sources } = found;
      return { emailKey: emailKey(account.emailNormalized), account, sources, context };
    },
    password,
  );
  if (verdict.outcome === 'rejected') {
    await recordFailure(deps, target, verdict);
    throw authErrors.invalidCredentials();
  }
  await resetFailures(deps.db, verdict.key, deps.clock());
  return verdict.account;
}

/**
 * A signed-in user changes their password: the current one, and with two-factor on a code too.
 * Other sessions end, this one stays.
 */
export async function changePassword(
  deps: AuthDeps,
  user: AuthenticatedUser,
  input: { currentPassword: string; newPassword: string; context: ClientContext } & StepUpProof,
): Promise<void> {
  const account = await verifyCurrentPassword(deps, user, input.currentPassword, input.context);
  // The policy goes before the code, so a refused new password does not use the code up.
  const stored = await newPasswordFor(deps, account, input.newPassword);
  await requireStepUp(deps, account, input, input.context, 'password_change');
  const now = deps.clock();
  await inTransaction(deps, async (trx) => {
    await setPassword(trx, account.id, stored, now, deps.config.passwords.policy.history);
    await revokeAllSessions(trx, account.id, 'password_changed', now, user.sessionId);
    await voidTokensFor(trx, account.id, 'password_changed', now);
    await publish(trx, [
      securityEvent('password.changed', account.id, { context: input.context }),
      await passwordChangedNotice(trx, deps, account, now),
    ]);
  });
}
