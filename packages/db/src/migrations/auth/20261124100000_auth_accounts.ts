import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table auth_accounts (
      id uuid primary key default gen_random_uuid(),
      email text not null,
      email_normalized text not null,
      locale text not null,
      password_hash text not null,
      pepper_id text,
      status text not null default 'active' check (status in ('active', 'frozen')),
      frozen_at timestamptz,
      frozen_by text check (frozen_by in ('user', 'agent', 'system')),
      frozen_reason text,
      created_at timestamptz not null default now(),
      password_changed_at timestamptz not null,
      last_login_at timestamptz
    )`.execute(db);
  // Two concurrent registrations of one email: the database lets exactly one in.
  await sql`create unique index auth_accounts_email on auth_accounts (email_normalized)`.execute(db);

  await sql`
    create table auth_password_history (
      id bigserial primary key,
      account_id uuid not null references auth_accounts (id) on delete cascade,
      password_hash text not null,
      pepper_id text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index auth_password_history_account on auth_password_history (account_id, id desc)`.execute(db);

  await sql`
    create table auth_known_sources (
      account_id uuid not null references auth_accounts (id) on delete cascade,
      kind text not null check (kind in ('device', 'ip')),
      value text not null,
      first_seen_at timestamptz not null,
      last_success_at timestamptz not null,
      primary key (account_id, kind, value)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table auth_known_sources`.execute(db);
  await sql`drop table auth_password_history`.execute(db);
  await sql`drop table auth_accounts`.execute(db);
}
