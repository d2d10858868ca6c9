import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // The idempotency record, one row per transaction ever applied: kept narrow, since it is the
  // one write every transaction makes (flags keep the details of the flagged ones).
  await sql`
    create table monitor_transactions (
      transaction_id text primary key,
      account_id uuid not null,
      processed_at timestamptz not null default now()
    )`.execute(db);
  // Append-only by time: a BRIN index costs almost nothing per insert and serves the retention delete.
  await sql`create index monitor_transactions_processed_at on monitor_transactions using brin (processed_at)`.execute(
    db,
  );

  // Rewritten by every batch that touches the account: free room on each page lets the update stay
  // on the page (HOT) without touching the index.
  await sql`
    create table monitor_account_profiles (
      account_id uuid primary key,
      state jsonb not null default '{}'::jsonb,
      transaction_count bigint not null default 0,
      first_seen_at timestamptz,
      last_activity_at timestamptz,
      updated_at timestamptz not null default now()
    ) with (fillfactor = 70)`.execute(db);

  // What an account knows of each counterparty it paid: a row each, so a busy account's history
  // never makes its profile (rewritten on every transaction) grow.
  await sql`
    create table monitor_counterparties (
      account_id uuid not null,
      counterparty text not null,
      first_paid_at timestamptz not null,
      last_amount_minor bigint not null,
      primary key (account_id, counterparty)
    ) with (fillfactor = 80)`.execute(db);

  await sql`
    create table monitor_security_events (
      event_id uuid primary key,
      account_id uuid not null,
      type text not null,
      occurred_at timestamptz not null,
      ip text,
      device_id text,
      country text,
      new_device boolean,
      new_ip boolean,
      received_at timestamptz not null default now()
    )`.execute(db);
  // Scoring reads one account's last 24 hours; the risk profile its latest events.
  await sql`create index monitor_security_events_account on monitor_security_events (account_id, occurred_at)`.execute(
    db,
  );

  await sql`
    create table monitor_flags (
      id uuid primary key,
      transaction_id text not null unique,
      account_id uuid not null,
      transaction_type text not null,
      amount_minor bigint not null,
      currency text not null,
      score smallint not null check (score between 0 and 100),
      decision text not null check (decision in ('allow', 'review', 'suspected_theft')),
      shadow_score smallint not null check (shadow_score between 0 and 100),
      shadow_decision text not null check (shadow_decision in ('allow', 'review', 'suspected_theft')),
      reasons jsonb not null,
      security_event_ids jsonb not null default '[]'::jsonb,
      rules_version text not null,
      occurred_at timestamptz not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  // Newest first, with id as the tie-breaker of the pagination cursor.
  await sql`create index monitor_flags_created on monitor_flags (created_at desc, id desc)`.execute(db);
  await sql`create index monitor_flags_account on monitor_flags (account_id, created_at desc, id desc)`.execute(db);

  await sql`
    create table monitor_flag_feedback (
      id uuid primary key default gen_random_uuid(),
      flag_id uuid not null references monitor_flags (id) on delete cascade,
      label text not null check (label in ('confirmed_fraud', 'false_positive')),
      actor text not null,
      case_id text,
      note text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index monitor_flag_feedback_flag on monitor_flag_feedback (flag_id, created_at)`.execute(db);

  await sql`
    create table monitor_freeze_requests (
      id bigserial primary key,
      account_id uuid not null,
      flag_id uuid not null,
      reason text not null,
      status text not null default 'pending' check (status in ('pending', 'done', 'failed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      last_error text,
      created_at timestamptz not null default now(),
      completed_at timestamptz
    )`.execute(db);
  // One pending freeze per account: a burst of theft flags asks auth once.
  await sql`create unique index monitor_freeze_requests_pending on monitor_freeze_requests (account_id) where status = 'pending'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table monitor_freeze_requests`.execute(db);
  await sql`drop table monitor_flag_feedback`.execute(db);
  await sql`drop table monitor_flags`.execute(db);
  await sql`drop table monitor_security_events`.execute(db);
  await sql`drop table monitor_counterparties`.execute(db);
  await sql`drop table monitor_account_profiles`.execute(db);
  await sql`drop table monitor_transactions`.execute(db);
}
