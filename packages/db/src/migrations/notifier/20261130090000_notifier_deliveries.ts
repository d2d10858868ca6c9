import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One row per event and channel: the unique key is what makes a redelivered event send nothing
  // twice. No token, code or message body is stored, only what support needs to see.
  await sql`
    create table notifier_deliveries (
      id uuid primary key,
      event_id uuid not null,
      channel text not null check (channel in ('email', 'webhook')),
      account_id uuid not null,
      case_id uuid,
      kind text not null,
      locale text not null,
      recipient text not null,
      status text not null check (status in ('pending', 'sending', 'retrying', 'sent', 'failed')),
      attempts integer not null default 0,
      created_at timestamptz not null default now(),
      last_attempt_at timestamptz,
      next_attempt_at timestamptz,
      sent_at timestamptz,
      server_response text,
      last_error text,
      unique (event_id, channel)
    )`.execute(db);
  await sql`create index notifier_deliveries_account on notifier_deliveries (account_id, created_at desc, id desc)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table notifier_deliveries`.execute(db);
}
