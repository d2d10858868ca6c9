import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Keyed by a hash of the normalised email, not the account: unknown emails count the same way.
  await sql`
    create table auth_lockouts (
      email_key text not null,
      subject text not null,
      failures integer not null,
      window_started_at timestamptz not null,
      locked_until timestamptz,
      hard boolean not null default false,
      recent_locks jsonb not null default '[]'::jsonb,
      last_ip text,
      updated_at timestamptz not null,
      primary key (email_key, subject)
    )`.execute(db);
  await sql`create index auth_lockouts_updated_at on auth_lockouts (updated_at)`.execute(db);

  await sql`
    create table auth_ip_failures (
      ip text primary key,
      failures integer not null,
      window_started_at timestamptz not null
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table auth_ip_failures`.execute(db);
  await sql`drop table auth_lockouts`.execute(db);
}
