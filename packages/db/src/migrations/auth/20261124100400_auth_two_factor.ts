import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One row per account that started or finished enrolment. Secrets are AES-256-GCM ciphertexts
  // (nonce, ciphertext and tag in one base64url string) with the id of the key that sealed them;
  // the database never holds a readable secret.
  await sql`
    create table auth_totp (
      account_id uuid primary key references auth_accounts (id) on delete cascade,
      secret_ciphertext text,
      secret_key_id text,
      enabled_at timestamptz,
      last_used_step integer,
      pending_ciphertext text,
      pending_key_id text,
      pending_created_at timestamptz,
      updated_at timestamptz not null,
      check ((secret_ciphertext is null) = (enabled_at is null)),
      check ((secret_ciphertext is null) = (secret_key_id is null)),
      check ((pending_ciphertext is null) = (pending_key_id is null)),
      check ((pending_ciphertext is null) = (pending_created_at is null))
    )`.execute(db);

  await sql`
    create table auth_recovery_codes (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references auth_accounts (id) on delete cascade,
      salt text not null,
      code_hash text not null,
      created_at timestamptz not null,
      used_at timestamptz
    )`.execute(db);
  await sql`create index auth_recovery_codes_unused on auth_recovery_codes (account_id) where used_at is null`.execute(
    db,
  );

  // The second sign-in step: a right password leaves one of these behind (by SHA-256 of its token),
  // carrying the lockout counter the codes are then counted on.
  await sql`
    create table auth_mfa_challenges (
      token_hash text primary key,
      account_id uuid not null references auth_accounts (id) on delete cascade,
      email_key text not null,
      counter_subject text not null,
      context jsonb not null,
      attempts integer not null default 0,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    )`.execute(db);
  await sql`create index auth_mfa_challenges_expires_at on auth_mfa_challenges (expires_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table auth_mfa_challenges`.execute(db);
  await sql`drop table auth_recovery_codes`.execute(db);
  await sql`drop table auth_totp`.execute(db);
}
