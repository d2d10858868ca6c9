import type { Database } from '@wallet-guard/db';
import type { Kysely, Transaction } from 'kysely';
import type { StoredPassword } from './password-hasher';

/** The account's last `limit` passwords, newest first (the current one included). */
export async function recentPasswords(
  db: Kysely<Database>,
  accountId: string,
  limit: number,
): Promise<StoredPassword[]> {
  if (limit === 0) return [];
  const rows = await db
    .selectFrom('auth_password_history')
    .select(['password_hash', 'pepper_id'])
    .where('account_id', '=', accountId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ hash: r.password_hash, pepperId: r.pepper_id }));
}

/**
 * Makes `password` the account's password: stores it, records it in the history and drops the
 * history beyond what the reuse rule reads.
 */
export async function setPassword(
  trx: Transaction<Database>,
  accountId: string,
  password: StoredPassword,
  now: Date,
  keep: number,
): Promise<void> {
  await trx
    .updateTable('auth_accounts')
    .set({ password_hash: password.hash, pepper_id: password.pepperId, password_changed_at: now })
    .where('id', '=', accountId)
    .execute();
  await addToHistory(trx, accountId, password);
  const kept = trx
    .selectFrom('auth_password_history')
    .select('id')
    .where('account_id', '=', accountId)
    .orderBy('id', 'desc')
    .limit(Math.max(keep, 1));
  await trx
    .deleteFrom('auth_password_history')
    .where('account_id', '=', accountId)
    .where('id', 'not in', kept)
    .execute();
}

export async function addToHistory(trx: Transaction<Database>, accountId: string, password: StoredPassword) {
  await trx
    .insertInto('auth_password_history')
    .values({ account_id: accountId, password_hash: password.hash, pepper_id: password.pepperId })
    .execute();
}
