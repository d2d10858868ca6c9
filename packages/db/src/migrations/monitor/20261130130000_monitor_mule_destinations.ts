import { type Kysely, sql } from 'kysely';

/**
 * The network aggregate behind rule `mule_destination` (issue 17): who pays each destination
 * (bank account, crypto address, wallet, card), and which destinations were announced as mule
 * incidents (`risk.mule-destination.v1`). Rows are merged by `insert ... on conflict do update`
 * (counts added, times widened), so consumers of several partitions or instances updating one
 * destination at once lose nothing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table monitor_destination_payers (
      counterparty text not null,
      account_id uuid not null,
      first_paid_at timestamptz,
      last_paid_at timestamptz,
      payments integer not null default 0,
      amounts jsonb not null default '{}'::jsonb,
      security_change_at timestamptz,
      flagged_at timestamptz,
      decision text check (decision in ('review', 'suspected_theft')),
      max_score smallint not null default 0,
      flag_ids uuid[] not null default '{}',
      announced boolean not null default false,
      primary key (counterparty, account_id)
    )`.execute(db);
  // A destination's payers of the last days, newest first (loadDestinationPayers).
  await sql`
    create index monitor_destination_payers_recent
      on monitor_destination_payers (counterparty, last_paid_at desc)`.execute(db);
  await sql`
    create table monitor_destinations (
      counterparty text primary key,
      kind text not null,
      incident_opened_at timestamptz not null,
      revision integer not null,
      announced_at timestamptz not null
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table monitor_destinations`.execute(db);
  await sql`drop table monitor_destination_payers`.execute(db);
}
