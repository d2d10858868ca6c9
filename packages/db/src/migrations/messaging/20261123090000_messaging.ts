import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table outbox (
      id bigserial primary key,
      event_id uuid not null unique,
      producer text not null,
      topic text not null,
      message_key text not null,
      payload jsonb not null,
      headers jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      relay_batch bigint,
      published_at timestamptz
    )`.execute(db);
  // The relay's only query path: a producer's unsent rows in id order.
  await sql`create index outbox_unsent on outbox (producer, id) where published_at is null`.execute(db);
  await sql`create index outbox_published_at on outbox (published_at) where published_at is not null`.execute(db);
  await sql`create sequence outbox_relay_batch_seq`.execute(db);

  await sql`
    create table inbox (
      consumer_group text not null,
      event_id uuid not null,
      topic text not null,
      processed_at timestamptz not null default now(),
      primary key (consumer_group, event_id)
    )`.execute(db);
  await sql`create index inbox_processed_at on inbox (processed_at)`.execute(db);

  await sql`
    create table dead_letters (
      id bigserial primary key,
      consumer_group text not null,
      topic text not null,
      message_key text,
      payload text not null,
      error_code text not null,
      error_message text not null,
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table relay_leases (
      producer text primary key,
      holder text not null,
      expires_at timestamptz not null
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table relay_leases`.execute(db);
  await sql`drop table dead_letters`.execute(db);
  await sql`drop table inbox`.execute(db);
  await sql`drop sequence outbox_relay_batch_seq`.execute(db);
  await sql`drop table outbox`.execute(db);
}
