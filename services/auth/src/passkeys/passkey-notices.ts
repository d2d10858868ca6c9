import type { Database } from '@wallet-guard/db';
import type { OutboxMessage } from '@wallet-guard/messaging';
import type { Transaction } from 'kysely';
import type { Account } from '../accounts/accounts-store';
import type { AuthContext } from '../auth-context';
import { notification } from '../security-events/publish';
import { freezeLink } from '../tokens/one-time-tokens';

/**
 * "A passkey was added / removed" for the owner, with a freeze token, like every two-factor
 * change: someone holding a stolen session could add their own passkey (a way back in) or remove
 * the owner's.
 */
export async function passkeyChangedNotice(
  trx: Transaction<Database>,
  ctx: AuthContext,
  account: Account,
  change: 'passkey_added' | 'passkey_removed',
  passkeyName: string,
  now: Date,
): Promise<OutboxMessage> {
  const freeze = await freezeLink(trx, account.id, now, ctx.config.tokens.freezeTtlSeconds);
  return notification('notification.two_factor_changed', account, { change, passkeyName, ...freeze });
}
