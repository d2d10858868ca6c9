import type { ClientContext } from '@wallet-guard/contracts';
import type { AuthAccountTable, Database } from '@wallet-guard/db';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { StoredPassword } from '../passwords/password-hasher';

export interface Account {
  id: string;
  email: string;
  emailNormalized: string;
  locale: string;
  password: StoredPassword;
  status: 'active' | 'frozen';
  frozen: { at: Date; by: 'user' | 'agent' | 'system'; reason: string | null } | null;
  createdAt: Date;
  passwordChangedAt: Date;
  lastLoginAt: Date | null;
}

/** When this account last signed in from the request's device and IP (null: never). */
export interface SourceHistory {
  deviceLastSuccess: Date | null;
  ipLastSuccess: Date | null;
}

type Db = Kysely<Database> | Transaction<Database>;

const accountColumns = [
  'a.id',
  'a.email',
  'a.email_normalized',
  'a.locale',
  'a.password_hash',
  'a.pepper_id',
  'a.status',
  'a.frozen_at',
  'a.frozen_by',
  'a.frozen_reason',
  'a.created_at',
  'a.password_changed_at',
  'a.last_login_at',
] as const;

/** The columns read for an Account, as the table types them. */
type AccountRow = Pick<
  Selectable<AuthAccountTable>,
  (typeof accountColumns)[number] extends `a.${infer C}` ? C : never
>;

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    email: row.email,
    emailNormalized: row.email_normalized,
    locale: row.locale,
    password: { hash: row.password_hash, pepperId: row.pepper_id },
    status: row.status,
    frozen:
      row.status === 'frozen' && row.frozen_at && row.frozen_by
        ? { at: row.frozen_at, by: row.frozen_by, reason: row.frozen_reason }
        : null,
    createdAt: row.created_at,
    passwordChangedAt: row.password_changed_at,
    lastLoginAt: row.last_login_at,
  };
}

export async function findAccount(db: Db, accountId: string): Promise<Account | undefined> {
  const row = await db
    .selectFrom('auth_accounts as a')
    .select(accountColumns)
    .where('a.id', '=', accountId)
    .executeTakeFirst();
  return row ? toAccount(row) : undefined;
}

export async function findAccountByEmail(db: Db, normalisedEmail: string): Promise<Account | undefined> {
  const row = await db
    .selectFrom('auth_accounts as a')
    .select(accountColumns)
    .where('a.email_normalized', '=', normalisedEmail)
    .executeTakeFirst();
  return row ? toAccount(row) : undefined;
}

/**
 * The account (by email for a sign-in, by id for a signed-in user) and, in the same round trip,
 * when it last succeeded from this device and IP. One statement whether or not the account
 * exists, so both cost the same.
 */
export async function findWithSources(
  db: Db,
  by: { email: string } | { id: string },
  context: ClientContext,
): Promise<{ account: Account; sources: SourceHistory } | undefined> {
  const lastSuccess = (kind: 'device' | 'ip', value: string | undefined) =>
    sql<Date | null>`(select last_success_at from auth_known_sources k
      where k.account_id = a.id and k.kind = ${kind} and k.value = ${value ?? null})`;
  const row = await db
    .selectFrom('auth_accounts as a')
    .select(accountColumns)
    .select([
      lastSuccess('device', context.deviceId).as('device_last_success'),
      lastSuccess('ip', context.ip).as('ip_last_success'),
    ])
    .where((eb) => ('email' in by ? eb('a.email_normalized', '=', by.email) : eb('a.id', '=', by.id)))
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    account: toAccount(row),
    sources: { deviceLastSuccess: row.device_last_success, ipLastSuccess: row.ip_last_success },
  };
}

export interface NewAccount {
  email: string;
  emailNormalized: string;
  locale: string;
  password: StoredPassword;
}

/** Inserts the account; undefined when the email is taken (the unique index decides, race-free). */
export async function insertAccount(trx: Transaction<Database>, account: NewAccount, now: Date) {
  const row = await trx
    .insertInto('auth_accounts')
    .values({
      email: account.email,
      email_normalized: account.emailNormalized,
      locale: account.locale,
      password_hash: account.password.hash,
      pepper_id: account.password.pepperId,
      status: 'active',
      created_at: now,
      password_changed_at: now,
    })
    .onConflict((oc) => oc.column('email_normalized').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/**
 * Records a successful authentication from the context's device and IP (sign-in, or registration,
 * where the owner just chose the password). Says which of them this account had never used.
 */
export async function rememberSources(
  trx: Transaction<Database>,
  accountId: string,
  context: ClientContext,
  now: Date,
): Promise<{ newDevice: boolean; newIp: boolean }> {
  const sources = [
    ...(context.deviceId ? [{ kind: 'device' as const, value: context.deviceId }] : []),
    ...(context.ip ? [{ kind: 'ip' as const, value: context.ip }] : []),
  ];
  if (sources.length === 0) return { newDevice: false, newIp: false };
  const rows = await trx
    .insertInto('auth_known_sources')
    .values(sources.map((s) => ({ account_id: accountId, ...s, first_seen_at: now, last_success_at: now })))
    .onConflict((oc) => oc.columns(['account_id', 'kind', 'value']).doUpdateSet({ last_success_at: now }))
    // xmax is 0 on a row this statement inserted, not on one it updated.
    .returning(['kind', sql<boolean>`xmax = 0`.as('inserted')])
    .execute();
  const inserted = (kind: 'device' | 'ip') => rows.some((r) => r.kind === kind && r.inserted);
  return { newDevice: inserted('device'), newIp: inserted('ip') };
}

/** A new hash of the same password (other argon2 parameters or pepper), stored at once. */
export async function replacePasswordHash(db: Db, accountId: string, rehashed: StoredPassword): Promise<void> {
  await db
    .updateTable('auth_accounts')
    .set({ password_hash: rehashed.hash, pepper_id: rehashed.pepperId })
    .where('id', '=', accountId)
    .execute();
}

/**
 * Notes the sign-in and, after a rehash, stores the new hash of the same password (the history
 * keeps the old one: it still verifies).
 */
export async function recordLogin(trx: Transaction<Database>, accountId: string, now: Date, rehashed?: StoredPassword) {
  await trx
    .updateTable('auth_accounts')
    .set({
      last_login_at: now,
      ...(rehashed ? { password_hash: rehashed.hash, pepper_id: rehashed.pepperId } : {}),
    })
    .where('id', '=', accountId)
    .execute();
}
