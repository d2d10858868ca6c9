import type { ClientContext } from '@wallet-guard/contracts';
import type { OutboxMessage } from '@wallet-guard/messaging';
import { findAccount, findAccountByEmail } from '../accounts/accounts-store';
import { emailKey, normaliseEmail } from '../accounts/email';
import { type AuthDeps, inTransaction } from '../deps';
import { authErrors } from '../errors';
import { clearLocks } from '../lockout/lockout-store';
import { newPasswordFor, passwordChangedNotice } from '../passwords/new-password';
import { setPassword } from '../passwords/password-store';
import { notification, publish, securityEvent } from '../security-events/publish';
import { requireStepUp, type StepUpProof } from '../sessions/second-factor';
import { revokeAllSessions } from '../sessions/sessions-store';
import {
  consumeOneTimeToken,
  countRecentOneTimeTokens,
  issueOneTimeToken,
  peekOneTimeToken,
  revokeOneTimeTokens,
} from '../tokens/one-time-tokens';
import { voidTokensFor } from '../tokens/token-lifecycle';

/**
 * Sends a reset link when the email belongs to an active account; the caller answers 202 either
 * way. A newer link voids older ones. A frozen account gets no link (the request is still
 * recorded): whoever froze it may be fighting someone who reads the mailbox. Past
 * `resetLinksPerHour` links in the last hour nothing is sent either (the request is still
 * recorded), so nobody can flood an owner's inbox through us.
 */
export async function requestPasswordReset(deps: AuthDeps, email: string, context: ClientContext): Promise<void> {
  const account = await findAccountByEmail(deps.db, normaliseEmail(email));
  if (!account) return;
  const now = deps.clock();
  await inTransaction(deps, async (trx) => {
    const sendLink =
      account.status === 'active' &&
      (await countRecentOneTimeTokens(trx, account.id, 'password_reset', new Date(now.getTime() - 3_600_000))) <
        deps.config.tokens.resetLinksPerHour;
    const messages: OutboxMessage[] = [securityEvent('password.reset_requested', account.id, { context })];
    if (sendLink) {
      await revokeOneTimeTokens(trx, account.id, ['password_reset'], now);
      const reset = await issueOneTimeToken(trx, 'password_reset', account.id, now, deps.config.tokens.resetTtlSeconds);
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
  deps: AuthDeps,
  input: { token: string; newPassword: string; context: ClientContext } & StepUpProof,
): Promise<void> {
  const now = deps.clock();
  const accountId = await peekOneTimeToken(deps.db, 'password_reset', input.token, now);
  const account = accountId ? await findAccount(deps.db, accountId) : undefined;
  if (account?.status !== 'active') throw authErrors.invalidToken();
  await requireStepUp(deps, account, input, input.context, 'password_reset');
  const stored = await newPasswordFor(deps, account, input.newPassword);
  await inTransaction(deps, async (trx) => {
    if (!(await consumeOneTimeToken(trx, 'password_reset', input.token, now))) throw authErrors.invalidToken();
    await setPassword(trx, account.id, stored, now, deps.config.passwords.policy.history);
    const unlocked = await clearLocks(trx, emailKey(account.emailNormalized), now);
    await revokeAllSessions(trx, account.id, 'password_reset', now);
    await voidTokensFor(trx, account.id, 'password_reset', now);
    await publish(trx, [
      securityEvent('password.reset', account.id, { context: input.context }),
      ...(unlocked ? [securityEvent('account.unlocked', account.id, { by: 'reset', context: input.context })] : []),
      await passwordChangedNotice(trx, deps, account, now),
    ]);
  });
}
