import type { Database } from '@wallet-guard/db';
import { type Kysely, sql, type Transaction } from 'kysely';
import {
  newProfileRecord,
  PROFILE_VERSION,
  type ProfileRecord,
  type ProfileState,
  profileState,
} from './profile-state';

type ProfileRow = {
  account_id: string;
  state: Record<string, unknown>;
  transaction_count: string;
  first_seen_at: Date | null;
  last_activity_at: Date | null;
};

/**
 * Only this service writes profiles, always through `profileState`: a document of the current
 * version is taken as it is (validating a chunk's worth costs more than scoring them);
 * a new row's `{}`, or an older version, goes through the schema and its defaults.
 */
const readState = (state: Record<string, unknown>): ProfileState =>
  state.v === PROFILE_VERSION ? (state as ProfileState) : profileState.parse(state);

const toRecord = (row: ProfileRow): ProfileRecord => ({
  accountId: row.account_id,
  state: readState(row.state),
  transactionCount: Number(row.transaction_count),
  firstSeenAt: row.first_seen_at,
  lastActivityAt: row.last_activity_at,
});

const columns = ['account_id', 'state', 'transaction_count', 'first_seen_at', 'last_activity_at'] as const;

/** Locks and reads the profiles of `ids` that exist, in account order (a fixed order cannot deadlock). */
const selectForUpdate = (trx: Transaction<Database>, ids: readonly string[]) =>
  trx
    .selectFrom('monitor_account_profiles')
    .select(columns)
    .where('account_id', '=', sql<string>`any(${ids}::uuid[])`)
    .orderBy('account_id')
    .forUpdate()
    .execute();

/**
 * Locks the accounts' profiles for the rest of `trx` and returns them (an empty profile for an
 * account seen for the first time, whose row is created and so locked too). Two consumers that
 * briefly share a partition during a rebalance queue up instead of overwriting each other's
 * statistics, and never deadlock. One statement when every account is known.
 */
export async function lockProfiles(
  trx: Transaction<Database>,
  accountIds: readonly string[],
): Promise<Map<string, ProfileRecord>> {
  const ids = [...new Set(accountIds)].sort();
  const profiles = new Map<string, ProfileRecord>();
  if (ids.length === 0) return profiles;
  for (const row of await selectForUpdate(trx, ids)) profiles.set(row.account_id, toRecord(row));
  const missing = ids.filter((id) => !profiles.has(id));
  if (missing.length === 0) return profiles;
  const { rows: created } = await sql<{ account_id: string }>`
    insert into monitor_account_profiles (account_id)
    select id from unnest(${missing}::uuid[]) as id order by id
    on conflict (account_id) do nothing
    returning account_id`.execute(trx);
  for (const { account_id } of created) profiles.set(account_id, newProfileRecord(account_id));
  // Created meanwhile by another consumer (a rebalance): wait for it, then read what it wrote.
  const raced = missing.filter((id) => !profiles.has(id));
  if (raced.length > 0)
    for (const row of await selectForUpdate(trx, raced)) profiles.set(row.account_id, toRecord(row));
  return profiles;
}

/**
 * Writes profiles locked by `lockProfiles` in one statement whatever their number: one JSON
 * document parsed once by Postgres (cheaper than a VALUES list of 500 rows or a jsonb[] array).
 */
export async function saveProfiles(trx: Transaction<Database>, records: readonly ProfileRecord[]): Promise<void> {
  if (records.length === 0) return;
  const rows = records.map((r) => ({
    account_id: r.accountId,
    state: r.state,
    transaction_count: r.transactionCount,
    first_seen_at: r.firstSeenAt,
    last_activity_at: r.lastActivityAt,
  }));
  await sql`
    update monitor_account_profiles as p
    set state = v.state, transaction_count = v.transaction_count, first_seen_at = v.first_seen_at,
        last_activity_at = v.last_activity_at, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v (
      account_id uuid, state jsonb, transaction_count bigint, first_seen_at timestamptz, last_activity_at timestamptz
    )
    where p.account_id = v.account_id`.execute(trx);
}

/** The profile as it stands, without locking (reads for scoring proposals and for agents). */
export async function readProfile(db: Kysely<Database>, accountId: string): Promise<ProfileRecord | null> {
  const row = await db
    .selectFrom('monitor_account_profiles')
    .select(columns)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row ? toRecord(row) : null;
}
