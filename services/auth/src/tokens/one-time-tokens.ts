import type { Database } from '@wallet-guard/db';
import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import { newOpaqueToken, tokenHash } from './opaque-token';

export type OneTimePurpose = 'password_reset' | 'unlock' | 'freeze';

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** Creates a single-use token; only its hash is stored, the token itself goes to the notification. */
export async function issueOneTimeToken(
  trx: Transaction<Database>,
  purpose: OneTimePurpose,
  accountId: string,
  now: Date,
  ttlSeconds: number,
): Promise<IssuedToken> {
  const token = newOpaqueToken(purpose);
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  await trx
    .insertInto('auth_one_time_tokens')
    .values({ token_hash: tokenHash(token), purpose, account_id: accountId, created_at: now, expires_at: expiresAt })
    .execute();
  return { token, expiresAt };
}

/** A freeze token as the payload fields of a "was this you?" notification. */
export async function freezeLink(
  trx: Transaction<Database>,
  accountId: string,
  now: Date,
  ttlSeconds: number,
): Promise<{ freezeToken: string; freezeTokenExpiresAt: string }> {
  const freeze = await issueOneTimeToken(trx, 'freeze', accountId, now, ttlSeconds);
  return { freezeToken: freeze.token, freezeTokenExpiresAt: freeze.expiresAt.toISOString() };
}

/** This token, for this purpose, neither used nor expired. */
const usable =
  (purpose: OneTimePurpose, token: string, now: Date) => (eb: ExpressionBuilder<Database, 'auth_one_time_tokens'>) =>
    eb.and([
      eb('token_hash', '=', tokenHash(token)),
      eb('purpose', '=', purpose),
      eb('used_at', 'is', null),
      eb('expires_at', '>', now),
    ]);

/** The account a usable token belongs to, without using it (checks that must pass first). */
export async function peekOneTimeToken(
  db: Kysely<Database>,
  purpose: OneTimePurpose,
  token: string,
  now: Date,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('auth_one_time_tokens')
    .select('account_id')
    .where(usable(purpose, token, now))
    .executeTakeFirst();
  return row?.account_id;
}

/**
 * Uses the token: exactly one of any number of concurrent calls gets the account id (an atomic
 * update), the others get undefined, as do unknown, used and expired tokens.
 */
export async function consumeOneTimeToken(
  trx: Transaction<Database>,
  purpose: OneTimePurpose,
  token: string,
  now: Date,
): Promise<string | undefined> {
  const row = await trx
    .updateTable('auth_one_time_tokens')
    .set({ used_at: now })
    .where(usable(purpose, token, now))
    .returning('account_id')
    .executeTakeFirst();
  return row?.account_id;
}

/**
 * Tokens of this purpose issued to the account since `since`, used or not. Takes the account's row
 * lock first, so concurrent callers count one after the other and a cap holds exactly.
 */
export async function countRecentOneTimeTokens(
  trx: Transaction<Database>,
  accountId: string,
  purpose: OneTimePurpose,
  since: Date,
): Promise<number> {
  await trx.selectFrom('auth_accounts').select('id').where('id', '=', accountId).forUpdate().execute();
  const row = await trx
    .selectFrom('auth_one_time_tokens')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('account_id', '=', accountId)
    .where('purpose', '=', purpose)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Voids the account's unused tokens of these purposes (a newer link replaces them, or a freeze). */
export async function revokeOneTimeTokens(
  trx: Transaction<Database>,
  accountId: string,
  purposes: readonly OneTimePurpose[],
  now: Date,
): Promise<void> {
  await trx
    .updateTable('auth_one_time_tokens')
    .set({ used_at: now })
    .where('account_id', '=', accountId)
    .where('purpose', 'in', purposes)
    .where('used_at', 'is', null)
    .execute();
}
