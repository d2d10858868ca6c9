import type { ConfirmationMethod, ConfirmationPayee, ConfirmationStatus } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { Kysely, Selectable, Transaction } from 'kysely';

type Db = Kysely<Database> | Transaction<Database>;
type Row = Selectable<Database['auth_payment_confirmations']>;

/** A payment confirmation as the domain reads it. */
export interface PaymentConfirmation {
  id: string;
  accountId: string;
  transactionId: string;
  /** Integer minor units as a decimal string. */
  amountMinor: string;
  currency: string;
  payee: ConfirmationPayee;
  locale: string;
  status: ConfirmationStatus;
  method: ConfirmationMethod | null;
  amr: string[] | null;
  acr: string | null;
  createdAt: Date;
  expiresAt: Date;
  decidedAt: Date | null;
  redeemedAt: Date | null;
}

const toConfirmation = (row: Row): PaymentConfirmation => ({
  id: row.id,
  accountId: row.account_id,
  transactionId: row.transaction_id,
  amountMinor: String(row.amount_minor),
  currency: row.currency,
  payee: { kind: row.payee_kind, id: row.payee_id, name: row.payee_name },
  locale: row.locale,
  status: row.status,
  method: row.method,
  amr: row.amr,
  acr: row.acr,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  decidedAt: row.decided_at,
  redeemedAt: row.redeemed_at,
});

export type NewConfirmation = Pick<
  PaymentConfirmation,
  'id' | 'accountId' | 'transactionId' | 'amountMinor' | 'currency' | 'payee' | 'locale' | 'createdAt' | 'expiresAt'
>;

/**
 * Stores a pending confirmation. Returns false, storing nothing, when the account already has a
 * live (pending, approved or redeemed) confirmation of the same transaction: the partial unique
 * index decides, so two concurrent requests cannot both open one.
 */
export async function insertConfirmation(db: Db, confirmation: NewConfirmation): Promise<boolean> {
  const inserted = await db
    .insertInto('auth_payment_confirmations')
    .values({
      id: confirmation.id,
      account_id: confirmation.accountId,
      transaction_id: confirmation.transactionId,
      amount_minor: confirmation.amountMinor,
      currency: confirmation.currency,
      payee_kind: confirmation.payee.kind,
      payee_id: confirmation.payee.id,
      payee_name: confirmation.payee.name,
      locale: confirmation.locale,
      status: 'pending',
      amr: null,
      created_at: confirmation.createdAt,
      expires_at: confirmation.expiresAt,
    })
    .onConflict((oc) =>
      oc
        .columns(['account_id', 'transaction_id'])
        .where('status', 'in', ['pending', 'approved', 'redeemed'])
        .doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The live confirmation of a transaction of the account (the one that blocks a second). */
export async function findLiveConfirmation(
  db: Db,
  accountId: string,
  transactionId: string,
): Promise<PaymentConfirmation | undefined> {
  const row = await db
    .selectFrom('auth_payment_confirmations')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('transaction_id', '=', transactionId)
    .where('status', 'in', ['pending', 'approved', 'redeemed'])
    .executeTakeFirst();
  return row ? toConfirmation(row) : undefined;
}

/** The confirmation `id` of `accountId`; undefined when there is none or it is another account's. */
export async function findOwnConfirmation(
  db: Db,
  id: string,
  accountId: string,
): Promise<PaymentConfirmation | undefined> {
  const row = await db
    .selectFrom('auth_payment_confirmations')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row ? toConfirmation(row) : undefined;
}

/** Any confirmation by id (redeem: the token names it, the signature vouches for the account). */
export async function findConfirmation(db: Db, id: string): Promise<PaymentConfirmation | undefined> {
  const row = await db.selectFrom('auth_payment_confirmations').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toConfirmation(row) : undefined;
}

/**
 * pending -> approved or refused, in one atomic update that also checks the expiry: of two
 * concurrent decisions exactly one wins. Returns whether this one did.
 */
export async function decidePending(
  trx: Transaction<Database>,
  id: string,
  now: Date,
  decision:
    | { status: 'approved'; method: ConfirmationMethod; amr: readonly string[]; acr: string }
    | { status: 'refused' },
): Promise<boolean> {
  const updated = await trx
    .updateTable('auth_payment_confirmations')
    .set(
      decision.status === 'approved'
        ? {
            status: 'approved',
            method: decision.method,
            amr: JSON.stringify(decision.amr),
            acr: decision.acr,
            decided_at: now,
          }
        : { status: 'refused', decided_at: now },
    )
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .returning('id')
    .executeTakeFirst();
  return updated !== undefined;
}

/** approved -> redeemed, once: of two concurrent redemptions exactly one gets true. */
export async function markRedeemed(db: Db, id: string, now: Date): Promise<boolean> {
  const updated = await db
    .updateTable('auth_payment_confirmations')
    .set({ status: 'redeemed', redeemed_at: now })
    .where('id', '=', id)
    .where('status', '=', 'approved')
    .returning('id')
    .executeTakeFirst();
  return updated !== undefined;
}

/**
 * pending -> expired for at most `limit` confirmations whose time ran out, locked and skipped by
 * other instances doing the same (`for update skip locked`), so each is expired, and announced,
 * once. Returns the ones this call expired.
 */
export async function expirePending(
  trx: Transaction<Database>,
  now: Date,
  limit: number,
): Promise<Pick<PaymentConfirmation, 'id' | 'accountId' | 'transactionId'>[]> {
  const due = trx
    .selectFrom('auth_payment_confirmations')
    .select('id')
    .where('status', '=', 'pending')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .forUpdate()
    .skipLocked();
  const rows = await trx
    .updateTable('auth_payment_confirmations')
    .set({ status: 'expired', decided_at: now })
    .where('id', 'in', due)
    .where('status', '=', 'pending')
    .returning(['id', 'account_id', 'transaction_id'])
    .execute();
  return rows.map((row) => ({ id: row.id, accountId: row.account_id, transactionId: row.transaction_id }));
}
