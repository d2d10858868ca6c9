import type { Database } from '@wallet-guard/db';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { HashedRecoveryCode } from './recovery-codes';

type Db = Kysely<Database> | Transaction<Database>;

/** Replaces the account's whole set: the old codes, used or not, stop working in the same transaction. */
export async function replaceRecoveryCodes(
  trx: Transaction<Database>,
  accountId: string,
  codes: readonly HashedRecoveryCode[],
  now: Date,
): Promise<void> {
  await deleteRecoveryCodes(trx, accountId);
  await trx
    .insertInto('auth_recovery_codes')
    .values(codes.map((c) => ({ account_id: accountId, salt: c.salt, code_hash: c.hash, created_at: now })))
    .execute();
}

export async function deleteRecoveryCodes(trx: Transaction<Database>, accountId: string): Promise<void> {
  await trx.deleteFrom('auth_recovery_codes').where('account_id', '=', accountId).execute();
}

export async function unusedRecoveryCodes(
  db: Db,
  accountId: string,
): Promise<Array<HashedRecoveryCode & { id: string }>> {
  const rows = await db
    .selectFrom('auth_recovery_codes')
    .select(['id', 'salt', 'code_hash'])
    .where('account_id', '=', accountId)
    .where('used_at', 'is', null)
    .execute();
  return rows.map((r) => ({ id: r.id, salt: r.salt, hash: r.code_hash }));
}

/** Uses the code up: of concurrent uses of one code exactly one gets true. */
export async function markRecoveryCodeUsed(trx: Transaction<Database>, id: string, now: Date): Promise<boolean> {
  const row = await trx
    .updateTable('auth_recovery_codes')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function countUnusedRecoveryCodes(db: Db, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('auth_recovery_codes')
    .select(sql<number>`count(*)::int`.as('left'))
    .where('account_id', '=', accountId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.left;
}
