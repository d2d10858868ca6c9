import type { ClientContext } from '@wallet-guard/contracts';
import { commitThenDeliver, type OutboxMessage } from '@wallet-guard/messaging';
import { findAccount, findAccountByEmail } from '../accounts/accounts-store';
import { emailKey, normaliseEmail } from '../accounts/email';
import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import { liftAllLocks } from '../lockout/lockout-store';
import { newPasswordFor, passwordChangedNotice } from '../passwords/new-password';
import { setPassword } from '../passwords/password-store';
import { notification, publish, securityEvent } from '../security-events/publish';
import { revokeAllSessions } from '../sessions/sessions-store';
import type { StepUpProof } from '../step-up/second-factor-provider';
import { requireStepUp } from '../step-up/step-up-check';
import {
  consumeOneTimeToken,
  countRecentOneTimeTokens,
  issueOneTimeToken,
  peekOneTimeToken,
  revokeOneTimeTokens,
} from '../tokens/one-time-tokens';
import { voidTokensFor } from '../tokens/token-lifecycle';

/**
 * Takes a reset request and answers at once: the work runs after the answer (`ctx.background`),
 * before the account is even looked up, since an existing account's link takes a transaction an
 * unknown email does not and the time to answer must not tell them apart. A failure is logged
 * on `log` (the request's logger), never thrown.
 */
export function acceptPasswordResetRequest(
  ctx: AuthContext,
  input: { email: string; context: ClientContext },
  log: Pick<AuthContext['logger'], 'error'>,
): void {
  ctx.background.run(
    () => requestPasswordReset(ctx, input.email, input.context),
    (error) => log.error({ err: error }, 'password reset request failed after answering'),
  );
}

/**
 * Sends a reset link when the email belongs to an active account; the caller answers 202 either
 * way. A newer link voids older ones. A frozen account gets no link (the request is still
 * recorded): whoever froze it may be fighting someone who reads the mailbox. Past
 * `resetLinksPerHour` links in the last hour nothing is sent either (the request is still
 * recorded), so nobody can flood an owner's inbox through us.
 */
async function requestPasswordReset(ctx: AuthContext, email: string, context: ClientContext): Promise<void> {
  const account = await findAccountByEmail(ctx.db, normaliseEmail(email));
  if (!account) return;
  const now = ctx.clock();
  await commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
    const sendLink =
      account.status === 'active' &&
      (await countRecentOneTimeTokens(trx, account.id, 'password_reset', new Date(now.getTime() - 3_600_000))) <
        ctx.config.tokens.resetLinksPerHour;
    const messages: OutboxMessage[] = [securityEvent('password.reset_requested', account.id, { context })];
    if (sendLink) {
      await revokeOneTimeTokens(trx, account.id, ['password_reset'], now);
      const reset = await issueOneTimeToken(trx, 'password_reset', account.id, now, ctx.config.tokens.resetTtlSeconds);
      messages.push(
        notification('notification.password_reset_link', account, {
          token: reset.token,
          expiresAt: reset.expiresAt.toISOString(),
        }),
      );
    }
    await publish(trx, messages);
  });
}

/**
 * Sets a new password with a reset token. Works while the account is locked and lifts the lock;
 * ends every session (whoever knew the old password is out). The token is used only once the new
 * password passed the policy, so a refused password can be corrected with the same link.
 */
export async function confirmPasswordReset(
  ctx: AuthContext,
  input: { token: string; newPassword: string; context: ClientContext } & StepUpProof,
): Promise<void> {
  const now = ctx.clock();
  const accountId = await peekOneTimeToken(ctx.db, 'password_reset', input.token, now);
  const account = accountId ? await findAccount(ctx.db, accountId) : undefined;
  if (account?.status !== 'active') throw authErrors.invalidToken();
  await requireStepUp(ctx, account, input, input.context, 'password_reset');
  const stored = await newPasswordFor(ctx, account, input.newPassword);
  await commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
    if (!(await consumeOneTimeToken(trx, 'password_reset', input.token, now))) throw authErrors.invalidToken();
    await setPassword(trx, account.id, stored, now, ctx.config.passwords.policy.history);
    const unlocked = await liftAllLocks(trx, emailKey(account.emailNormalized), now);
    await revokeAllSessions(trx, account.id, 'password_reset', now);
    await voidTokensFor(trx, account.id, 'password_reset', now);
    await publish(trx, [
      securityEvent('password.reset', account.id, { context: input.context }),
      ...(unlocked ? [securityEvent('account.unlocked', account.id, { by: 'reset', context: input.context })] : []),
      await passwordChangedNotice(trx, ctx, account, now),
    ]);
  });
}
