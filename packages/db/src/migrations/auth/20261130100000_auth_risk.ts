import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Credential stuffing: which email keys (hashed normalised emails, so unknown emails count the same
  // way) each source tried and when last. One row per (source, email key): counting a source's
  // distinct accounts in a window is a range read of its rows, and concurrent attempts only upsert.
  // Unlogged: every password attempt writes here, and waiting for a WAL flush would double the
  // risk check's cost; a crash (or a fail-over) forgets at most one window of attempts.
  await sql`
    create unlogged table auth_risk_source_attempts (
      source text not null,
      email_key text not null,
      last_attempt_at timestamptz not null,
      primary key (source, email_key)
    )`.execute(db);
  await sql`create index auth_risk_source_attempts_idle on auth_risk_source_attempts (last_attempt_at)`.execute(db);

  // The countries an account signed in from, and where and when its last located sign-in was
  // (impossible travel compares the next one with it).
  await sql`
    create table auth_risk_known_countries (
      account_id uuid not null references auth_accounts (id) on delete cascade,
      country text not null,
      first_seen_at timestamptz not null,
      last_success_at timestamptz not null,
      primary key (account_id, country)
    )`.execute(db);
  await sql`
    create table auth_risk_last_locations (
      account_id uuid primary key references auth_accounts (id) on delete cascade,
      signed_in_at timestamptz not null,
      lat double precision not null,
      lon double precision not null
    )`.execute(db);

  // risk.theft-suspected.v1 as auth keeps it; the event id is the key, so a redelivery changes nothing.
  // No foreign key: the monitor may know an account id before (or after) auth has the row.
  await sql`
    create table auth_risk_theft_suspicions (
      event_id uuid primary key,
      account_id uuid not null,
      suspected_at timestamptz not null,
      score integer not null,
      rules_version text not null
    )`.execute(db);
  await sql`create index auth_risk_theft_suspicions_account on auth_risk_theft_suspicions (account_id, suspected_at desc)`.execute(
    db,
  );

  // Freeze history for the risk check: an index only on the few freeze events, not the whole history.
  await sql`create index auth_security_events_frozen on auth_security_events (account_id, occurred_at desc)
    where type = 'account.frozen'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index auth_security_events_frozen`.execute(db);
  await sql`drop table auth_risk_theft_suspicions`.execute(db);
  await sql`drop table auth_risk_last_locations`.execute(db);
  await sql`drop table auth_risk_known_countries`.execute(db);
  await sql`drop table auth_risk_source_attempts`.execute(db);
}
