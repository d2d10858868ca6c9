import type { AuthPasskeyTable, Database } from '@wallet-guard/db';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';

/** A registered passkey: public data only (the private key never leaves the authenticator). */
export interface Passkey {
  id: string;
  accountId: string;
  /** Base64url, as the authenticator chose it. */
  credentialId: string;
  /** COSE_Key (RFC 9052). */
  publicKey: Uint8Array;
  /** The signature counter last accepted (0: the authenticator does not count). */
  counter: number;
  transports: string[];
  aaguid: string;
  backupEligible: boolean;
  backedUp: boolean;
  deviceType: 'singleDevice' | 'multiDevice';
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

type Db = Kysely<Database> | Transaction<Database>;

function toPasskey(row: Selectable<AuthPasskeyTable>): Passkey {
  return {
    id: row.id,
    accountId: row.account_id,
    credentialId: row.credential_id,
    publicKey: new Uint8Array(row.public_key),
    counter: Number(row.counter),
    transports: row.transports,
    aaguid: row.aaguid,
    backupEligible: row.backup_eligible,
    backedUp: row.backed_up,
    deviceType: row.device_type,
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

export type NewPasskey = Omit<Passkey, 'id' | 'lastUsedAt'>;

/** Stores a new passkey; undefined when its credential id is already registered (to anyone). */
export async function insertPasskey(trx: Transaction<Database>, passkey: NewPasskey): Promise<Passkey | undefined> {
  const row = await trx
    .insertInto('auth_passkeys')
    .values({
      account_id: passkey.accountId,
      credential_id: passkey.credentialId,
      public_key: passkey.publicKey,
      counter: passkey.counter,
      transports: passkey.transports,
      aaguid: passkey.aaguid,
      backup_eligible: passkey.backupEligible,
      backed_up: passkey.backedUp,
      device_type: passkey.deviceType,
      name: passkey.name,
      created_at: passkey.createdAt,
    })
    .onConflict((oc) => oc.column('credential_id').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ? toPasskey(row) : undefined;
}

/** The account's passkeys, newest first. */
export async function listPasskeys(db: Db, accountId: string): Promise<Passkey[]> {
  const rows = await db
    .selectFrom('auth_passkeys')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(toPasskey);
}

export async function countPasskeys(db: Db, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('auth_passkeys')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The passkey with this credential id, whoever's it is. */
export async function findPasskeyByCredentialId(db: Db, credentialId: string): Promise<Passkey | undefined> {
  const row = await db
    .selectFrom('auth_passkeys')
    .selectAll()
    .where('credential_id', '=', credentialId)
    .executeTakeFirst();
  return row ? toPasskey(row) : undefined;
}

/** One of the account's passkeys by id: undefined when it is someone else's or unknown. */
export async function findOwnPasskey(db: Db, accountId: string, id: string): Promise<Passkey | undefined> {
  const row = await db
    .selectFrom('auth_passkeys')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row ? toPasskey(row) : undefined;
}

export async function renamePasskey(db: Db, accountId: string, id: string, name: string): Promise<Passkey | undefined> {
  const row = await db
    .updateTable('auth_passkeys')
    .set({ name })
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .returningAll()
    .executeTakeFirst();
  return row ? toPasskey(row) : undefined;
}

/** Deletes one of the account's passkeys; undefined when it was not theirs or already gone. */
export async function deletePasskey(
  trx: Transaction<Database>,
  accountId: string,
  id: string,
): Promise<Passkey | undefined> {
  const row = await trx
    .deleteFrom('auth_passkeys')
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .returningAll()
    .executeTakeFirst();
  return row ? toPasskey(row) : undefined;
}

/**
 * Records a verified use in one atomic update: the new signature counter only when it is above the
 * stored one (or both are 0: an authenticator that does not count), so of two concurrent uses
 * presenting the same counter exactly one is accepted. False when the counter did not move forward.
 */
export async function recordPasskeyUse(
  db: Db,
  id: string,
  use: { counter: number; backedUp: boolean },
  now: Date,
): Promise<boolean> {
  const row = await db
    .updateTable('auth_passkeys')
    .set({ counter: use.counter, backed_up: use.backedUp, last_used_at: now })
    .where('id', '=', id)
    .where(use.counter === 0 ? sql<boolean>`counter = 0` : sql<boolean>`counter < ${use.counter}`)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
