import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table auth_sessions (
      id uuid primary key,
      account_id uuid not null references auth_accounts (id) on delete cascade,
      amr jsonb not null,
      aal smallint not null,
      ip text,
      user_agent text,
      device_id text,
      created_at timestamptz not null,
      last_used_at timestamptz not null,
      expires_at timestamptz not null,
      revoked_at timestamptz,
      revoked_reason text
    )`.execute(db);
  await sql`create index auth_sessions_active on auth_sessions (account_id) where revoked_at is null`.execute(db);

  await sql`
    create table auth_refresh_tokens (
      token_hash text primary key,
      session_id uuid not null references auth_sessions (id) on delete cascade,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    )`.execute(db);
  await sql`create index auth_refresh_tokens_session on auth_refresh_tokens (session_id)`.execute(db);

  await sql`
    create table auth_one_time_tokens (
      token_hash text primary key,
      purpose text not null check (purpose in ('password_reset', 'unlock', 'freeze')),
      account_id uuid not null references auth_accounts (id) on delete cascade,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    )`.execute(db);
  await sql`create index auth_one_time_tokens_account on auth_one_time_tokens (account_id, purpose)`.execute(db);
  await sql`create index auth_one_time_tokens_expires_at on auth_one_time_tokens (expires_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table auth_one_time_tokens`.execute(db);
  await sql`drop table auth_refresh_tokens`.execute(db);
  await sql`drop table auth_sessions`.execute(db);
}
