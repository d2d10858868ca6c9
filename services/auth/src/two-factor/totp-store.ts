import type { Database } from '@wallet-guard/db';
import type { Kysely, Transaction } from 'kysely';
import type { SealedSecret } from './secret-box';

type Db = Kysely<Database> | Transaction<Database>;

/** An account's authenticator as stored. */
export interface TotpRecord {
  /** Set once enrolment was confirmed: two-factor is on. */
  active: { secret: SealedSecret; enabledAt: Date; lastUsedStep: number | null } | null;
  /** A started enrolment, not confirmed yet. */
  pending: { secret: SealedSecret; createdAt: Date } | null;
}

export async function findTotp(db: Db, accountId: string): Promise<TotpRecord | undefined> {
  const row = await db.selectFrom('auth_totp').selectAll().where('account_id', '=', accountId).executeTakeFirst();
  if (!row) return undefined;
  return {
    active:
      row.secret_ciphertext && row.secret_key_id && row.enabled_at
        ? {
            secret: { keyId: row.secret_key_id, ciphertext: row.secret_ciphertext },
            enabledAt: row.enabled_at,
            lastUsedStep: row.last_used_step,
          }
        : null,
    pending:
      row.pending_ciphertext && row.pending_key_id && row.pending_created_at
        ? {
            secret: { keyId: row.pending_key_id, ciphertext: row.pending_ciphertext },
            createdAt: row.pending_created_at,
          }
        : null,
  };
}

export async function isTotpEnabled(db: Db, accountId: string): Promise<boolean> {
  const row = await db
    .selectFrom('auth_totp')
    .select('account_id')
    .where('account_id', '=', accountId)
    .where('enabled_at', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** Stores a started enrolment, replacing an earlier one. False (nothing stored) when two-factor is already on. */
export async function savePendingSecret(db: Db, accountId: string, secret: SealedSecret, now: Date): Promise<boolean> {
  const pending = { pending_ciphertext: secret.ciphertext, pending_key_id: secret.keyId, pending_created_at: now };
  const row = await db
    .insertInto('auth_totp')
    .values({ account_id: accountId, ...pending, updated_at: now })
    .onConflict((oc) =>
      oc
        .column('account_id')
        .doUpdateSet({ ...pending, updated_at: now })
        .where('auth_totp.enabled_at', 'is', null),
    )
    .returning('account_id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Turns this pending secret into the active one, with the confirming code's step as the last used
 * one (that code cannot be used again). Exactly one of concurrent confirmations succeeds; false
 * when another did, or a new enrolment replaced the secret meanwhile.
 */
export async function activateTotp(
  trx: Transaction<Database>,
  accountId: string,
  pending: SealedSecret,
  step: number,
  now: Date,
): Promise<boolean> {
  const row = await trx
    .updateTable('auth_totp')
    .set((eb) => ({
      secret_ciphertext: eb.ref('pending_ciphertext'),
      secret_key_id: eb.ref('pending_key_id'),
      enabled_at: now,
      last_used_step: step,
      pending_ciphertext: null,
      pending_key_id: null,
      pending_created_at: null,
      updated_at: now,
    }))
    .where('account_id', '=', accountId)
    .where('enabled_at', 'is', null)
    .where('pending_ciphertext', '=', pending.ciphertext)
    .returning('account_id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records `step` as the last accepted one if it is later than the stored one, in one statement:
 * of concurrent requests with the same code exactly one gets true (the others wait for its row
 * lock, then see the new step). `secret` pins the secret the code was checked against.
 */
export async function claimTimeStep(
  db: Db,
  accountId: string,
  secret: SealedSecret,
  step: number,
  now: Date,
): Promise<boolean> {
  const row = await db
    .updateTable('auth_totp')
    .set({ last_used_step: step, updated_at: now })
    .where('account_id', '=', accountId)
    .where('secret_ciphertext', '=', secret.ciphertext)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
    .returning('account_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Turns two-factor off (the row goes, pending enrolment included). False when it was not on. */
export async function deleteTotp(trx: Transaction<Database>, accountId: string): Promise<boolean> {
  const row = await trx
    .deleteFrom('auth_totp')
    .where('account_id', '=', accountId)
    .where('enabled_at', 'is not', null)
    .returning('account_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Forgets enrolments started before `before` and never confirmed (the secret was shown once, long ago). */
export async function dropStalePending(db: Db, before: Date): Promise<void> {
  // An account with two-factor on never has a pending secret (enrolment refuses to start then).
  await db.deleteFrom('auth_totp').where('enabled_at', 'is', null).where('pending_created_at', '<', before).execute();
}
