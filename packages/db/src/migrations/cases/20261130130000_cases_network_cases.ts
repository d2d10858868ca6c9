import { type Kysely, sql } from 'kysely';

/**
 * Network cases (issue 17): one case for a destination many accounts pay (a money mule,
 * `risk.mule-destination.v1`), listing those accounts. The case row itself is an ordinary case
 * (type `mule_destination`, its `account_id` the first account listed); these tables hold what
 * makes it a network case: the latest revision applied, and the accounts with their flags and
 * amounts, updated in place as the monitor announces more.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table case_network_incidents (
      case_id uuid primary key references cases (id),
      incident_key text not null,
      destination_kind text not null,
      destination_id text not null,
      revision integer not null,
      incident_opened_at timestamptz not null,
      window_hours real not null,
      new_payers integer not null,
      new_payers_with_signs integer not null,
      received jsonb not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index case_network_incidents_key on case_network_incidents (incident_key)`.execute(db);
  await sql`
    create table case_network_accounts (
      case_id uuid not null references cases (id),
      account_id uuid not null,
      first_paid_at timestamptz not null,
      last_paid_at timestamptz not null,
      payments integer not null,
      amounts jsonb not null,
      security_change_at timestamptz,
      flagged_at timestamptz,
      decision text,
      max_score smallint not null,
      flag_ids jsonb not null,
      added_at timestamptz not null,
      primary key (case_id, account_id)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table case_network_accounts`.execute(db);
  await sql`drop table case_network_incidents`.execute(db);
}
