import type { ClientContext } from '@wallet-guard/contracts';
import { commitThenDeliver } from '@wallet-guard/messaging';
import { type Account, findWithSources } from '../accounts/accounts-store';
import { emailKey } from '../accounts/email';
import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import { resetFailures } from '../lockout/lockout-store';
import { checkPassword, recordFailure } from '../lockout/password-attempt';
import { publish, securityEvent } from '../security-events/publish';
import { liftSessionRestriction, revokeAllSessions } from '../sessions/sessions-store';
import type { StepUpProof } from '../step-up/second-factor-provider';
import { requireStepUp } from '../step-up/step-up-check';
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
  ctx: AuthContext,
  user: AuthenticatedUser,
  password: string,
  context: ClientContext,
): Promise<Account> {
  const { target, verdict } = await checkPassword(
    ctx,
    async () => {
      const found = await findWithSources(ctx.db, { id: user.accountId }, context);
      if (!found) throw authErrors.invalidAccessToken();
      const { account, sources } = found;
      return { emailKey: emailKey(account.emailNormalized), account, sources, context };
    },
    password,
  );
  if (verdict.outcome === 'rejected') {
    await recordFailure(ctx, target, verdict);
    throw authErrors.invalidCredentials();
  }
  await resetFailures(ctx.db, verdict.key, ctx.clock());
  return verdict.account;
}

/**
 * A signed-in user changes their password: the current one, and with two-factor on a code too.
 * Other sessions end, this one stays. A restricted session (a leaked password signed in, issue 16)
 * is lifted in place, in the same transaction: the session keeps its id and sign-in time, every
 * route answers it at once, and the next refresh gives an access token without `rst`. No new
 * session is issued: the user proved the same things as before, only the password changed.
 */
export async function changePassword(
  ctx: AuthContext,
  user: AuthenticatedUser,
  input: { currentPassword: string; newPassword: string; context: ClientContext } & StepUpProof,
): Promise<void> {
  const account = await verifyCurrentPassword(ctx, user, input.currentPassword, input.context);
  // The policy goes before the code, so a refused new password does not use the code up.
  const stored = await newPasswordFor(ctx, account, input.newPassword);
  await requireStepUp(ctx, account, input, input.context, 'password_change');
  const now = ctx.clock();
  await commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
    await setPassword(trx, account.id, stored, now, ctx.config.passwords.policy.history);
    await revokeAllSessions(trx, account.id, 'password_changed', now, user.sessionId);
    if (user.restriction) await liftSessionRestriction(trx, account.id, user.sessionId);
    await voidTokensFor(trx, account.id, 'password_changed', now);
    await publish(trx, [
      securityEvent('password.changed', account.id, { context: input.context }),
      await passwordChangedNotice(trx, ctx, account, now),
    ]);
  });
}
