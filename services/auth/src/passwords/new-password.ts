import type { Database } from '@wallet-guard/db';
import type { OutboxMessage } from '@wallet-guard/messaging';
import type { Transaction } from 'kysely';
import type { Account } from '../accounts/accounts-store';
import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import { notification } from '../security-events/publish';
import { freezeLink } from '../tokens/one-time-tokens';
import type { StoredPassword } from './password-hasher';
import { recentPasswords } from './password-store';

/**
 * Checks a new password for an existing account against the whole policy (its recent passwords
 * included) and hashes it. 422 AUTH_PASSWORD_POLICY with every reason when it is refused.
 */
export async function newPasswordFor(ctx: AuthContext, account: Account, password: string): Promise<StoredPassword> {
  const recent = await recentPasswords(ctx.db, account.id, ctx.config.passwords.policy.history);
  const violations = await ctx.policy.violations(password, account.emailNormalized, recent);
  if (violations.length > 0) throw authErrors.passwordPolicy(violations);
  return ctx.hashing.run(() => ctx.hasher.hash(password));
}

/** "Your password changed" with a freeze token, in case it was not the owner who changed it. */
export async function passwordChangedNotice(
  trx: Transaction<Database>,
  ctx: AuthContext,
  account: Account,
  now: Date,
): Promise<OutboxMessage> {
  return notification(
    'notification.password_changed',
    account,
    await freezeLink(trx, account.id, now, ctx.config.tokens.freezeTtlSeconds),
  );
}
