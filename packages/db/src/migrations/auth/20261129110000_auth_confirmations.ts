import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // A payment the wallet asked its signed-in user to confirm (PSD2 RTS art. 5, dynamic linking):
  // the details the confirmation token will bind, and where it stands. pending -> approved |
  // refused | expired; approved -> redeemed (once: one atomic update). The token itself is never
  // stored: it is a signed JWT whose jti is this row's id.
  await sql`
    create table auth_payment_confirmations (
      id uuid primary key,
      account_id uuid not null references auth_accounts (id) on delete cascade,
      transaction_id text not null check (char_length(transaction_id) between 1 and 128),
      amount_minor bigint not null check (amount_minor >= 0),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      payee_kind text not null,
      payee_id text not null check (char_length(payee_id) between 1 and 128),
      payee_name text not null check (char_length(payee_name) between 1 and 140),
      locale text not null,
      status text not null check (status in ('pending', 'approved', 'refused', 'expired', 'redeemed')),
      method text check (method in ('passkey', 'totp')),
      amr jsonb,
      acr text,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      decided_at timestamptz,
      redeemed_at timestamptz,
      check ((status = 'pending') = (decided_at is null)),
      check ((status in ('approved', 'redeemed')) = (method is not null)),
      check ((status = 'redeemed') = (redeemed_at is not null))
    )`.execute(db);
  // One live confirmation per payment: a second one for the same transaction while one is
  // pending, approved or spent is refused (409); after a refusal or expiry the wallet may ask again.
  await sql`
    create unique index auth_payment_confirmations_live
      on auth_payment_confirmations (account_id, transaction_id)
      where status in ('pending', 'approved', 'redeemed')`.execute(db);
  // Housekeeping finds the pending ones that ran out.
  await sql`
    create index auth_payment_confirmations_pending_expiry
      on auth_payment_confirmations (expires_at) where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table auth_payment_confirmations`.execute(db);
}
