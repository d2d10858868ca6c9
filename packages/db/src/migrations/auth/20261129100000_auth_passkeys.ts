import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // An account's passkeys (WebAuthn public-key credentials, W3C WebAuthn Level 3). Only public
  // data: the credential id (base64url, unique across accounts: an authenticator makes one per
  // registration) and the COSE public key; the private key never leaves the authenticator.
  await sql`
    create table auth_passkeys (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references auth_accounts (id) on delete cascade,
      credential_id text not null unique,
      public_key bytea not null,
      counter bigint not null default 0 check (counter >= 0),
      transports text[] not null default '{}',
      aaguid text not null,
      backup_eligible boolean not null,
      backed_up boolean not null,
      device_type text not null check (device_type in ('singleDevice', 'multiDevice')),
      name text not null check (char_length(name) between 1 and 100),
      created_at timestamptz not null,
      last_used_at timestamptz
    )`.execute(db);
  await sql`create index auth_passkeys_account on auth_passkeys (account_id, created_at)`.execute(db);

  // A started WebAuthn ceremony: its challenge is good once (consumed by one atomic update that
  // also checks the expiry), for one purpose, one account (null: usernameless sign-in) and, when
  // set, one thing it is bound to (an mfa challenge, a payment confirmation).
  await sql`
    create table auth_webauthn_ceremonies (
      id uuid primary key,
      kind text not null check (kind in ('registration', 'authentication')),
      purpose text not null,
      account_id uuid references auth_accounts (id) on delete cascade,
      challenge text not null,
      bound_to text,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    )`.execute(db);
  await sql`create index auth_webauthn_ceremonies_expires_at on auth_webauthn_ceremonies (expires_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table auth_webauthn_ceremonies`.execute(db);
  await sql`drop table auth_passkeys`.execute(db);
}
