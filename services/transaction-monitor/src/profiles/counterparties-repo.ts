import type { Database } from '@wallet-guard/db';
import { type Kysely, sql, type Transaction } from 'kysely';
import { counterpartyKey, type KnownCounterparty } from './profile-state';

export interface CounterpartyRef {
  accountId: string;
  counterparty: string;
}

/**
 * What the accounts know of the counterparties they are paying now (by `counterpartyKey`).
 * Read after `lockProfiles`: an account's counterparties are only written under its profile lock.
 */
export async function loadCounterparties(
  db: Kysely<Database>,
  refs: readonly CounterpartyRef[],
): Promise<Map<string, KnownCounterparty>> {
  const known = new Map<string, KnownCounterparty>();
  if (refs.length === 0) return known;
  const { rows } = await sql<{
    account_id: string;
    counterparty: string;
    first_paid_at: Date;
    last_amount_minor: string;
  }>`
    select account_id, counterparty, first_paid_at, last_amount_minor
    from monitor_counterparties
    where (account_id, counterparty) in (
      select * from unnest(${refs.map((r) => r.accountId)}::uuid[], ${refs.map((r) => r.counterparty)}::text[])
    )`.execute(db);
  for (const row of rows) {
    known.set(counterpartyKey(row.account_id, row.counterparty), {
      since: row.first_paid_at.getTime(),
      last: row.last_amount_minor,
    });
  }
  return known;
}

/** Writes what was learned, by `counterpartyKey` (the account id is its first 36 characters). */
export async function saveCounterparties(
  trx: Transaction<Database>,
  learned: ReadonlyMap<string, KnownCounterparty>,
): Promise<void> {
  if (learned.size === 0) return;
  const rows = [...learned].map(([key, known]) => ({
    account_id: key.slice(0, 36),
    counterparty: key.slice(37),
    first_paid_at: new Date(known.since),
    last_amount_minor: known.last,
  }));
  await sql`
    insert into monitor_counterparties (account_id, counterparty, first_paid_at, last_amount_minor)
    select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v (
      account_id uuid, counterparty text, first_paid_at timestamptz, last_amount_minor bigint
    )
    on conflict (account_id, counterparty) do update
      set first_paid_at = excluded.first_paid_at, last_amount_minor = excluded.last_amount_minor`.execute(trx);
}

export async function countCounterparties(db: Kysely<Database>, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('monitor_counterparties')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
