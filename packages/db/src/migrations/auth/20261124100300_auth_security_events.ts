import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // No foreign key: the history of an account outlives the account row.
  await sql`
    create table auth_security_events (
      id bigserial primary key,
      event_id uuid not null unique,
      account_id uuid not null,
      type text not null,
      occurred_at timestamptz not null,
      ip text,
      user_agent text,
      device_id text,
      event jsonb not null
    )`.execute(db);
  await sql`create index auth_security_events_account on auth_security_events (account_id, id desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table auth_security_events`.execute(db);
}
