import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence case_number_seq`.execute(db);
  await sql`
    create table cases (
      id uuid primary key,
      number bigint not null unique default nextval('case_number_seq'),
      type text not null,
      priority text not null check (priority in ('P1', 'P2', 'P3', 'P4')),
      status text not null check (status in ('new', 'open', 'pending_customer', 'escalated', 'resolved', 'closed')),
      account_id uuid not null,
      queue text not null default 'agents' check (queue in ('agents', 'supervisors')),
      assignee text,
      occurrence_count integer not null default 1,
      outcome text,
      locale text,
      summary text not null,
      opened_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      first_response_due_at timestamptz not null,
      resolution_due_at timestamptz not null,
      first_responded_at timestamptz,
      sla_paused_at timestamptz,
      first_response_breached boolean not null default false,
      resolution_breached boolean not null default false,
      resolved_at timestamptz,
      closed_at timestamptz,
      next_due_at timestamptz generated always as (
        case
          when status in ('resolved', 'closed') then null
          when first_responded_at is null then least(first_response_due_at, resolution_due_at)
          else resolution_due_at
        end
      ) stored
    )`.execute(db);
  // The queue: open cases by the deadline that comes next.
  await sql`create index cases_queue on cases (next_due_at, id) where next_due_at is not null`.execute(db);
  await sql`create index cases_account on cases (account_id, opened_at desc)`.execute(db);

  await sql`
    create table case_incident_keys (
      incident_key text not null,
      case_id uuid not null references cases (id) deferrable initially deferred,
      open boolean not null default true,
      added_at timestamptz not null default now(),
      primary key (case_id, incident_key)
    )`.execute(db);
  // Exactly one open case per incident, whatever the number of consumers racing.
  await sql`create unique index case_incident_keys_one_open on case_incident_keys (incident_key) where open`.execute(
    db,
  );

  await sql`
    create table case_evidence (
      case_id uuid not null references cases (id),
      kind text not null check (kind in ('security_event', 'flag', 'transaction', 'case')),
      ref text not null,
      added_at timestamptz not null default now(),
      primary key (case_id, kind, ref)
    )`.execute(db);

  await sql`
    create table case_timeline (
      id bigserial primary key,
      case_id uuid not null references cases (id),
      at timestamptz not null default now(),
      actor text not null,
      kind text not null,
      visibility text not null default 'internal' check (visibility in ('internal', 'public')),
      old_value jsonb,
      new_value jsonb,
      body text,
      data jsonb not null default '{}'::jsonb
    )`.execute(db);
  await sql`create index case_timeline_case on case_timeline (case_id, id)`.execute(db);
  await sql`
    create function case_timeline_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'case_timeline is append-only' using errcode = '55000';
    end $$`.execute(db);
  await sql`
    create trigger case_timeline_no_change before update or delete on case_timeline
    for each row execute function case_timeline_append_only()`.execute(db);
  await sql`
    create trigger case_timeline_no_truncate before truncate on case_timeline
    for each statement execute function case_timeline_append_only()`.execute(db);

  await sql`
    create table agents (
      name text primary key,
      role text not null,
      available boolean not null default false,
      last_assigned_at timestamptz,
      updated_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table agents`.execute(db);
  await sql`drop table case_timeline`.execute(db);
  await sql`drop function case_timeline_append_only()`.execute(db);
  await sql`drop table case_evidence`.execute(db);
  await sql`drop table case_incident_keys`.execute(db);
  await sql`drop table cases`.execute(db);
  await sql`drop sequence case_number_seq`.execute(db);
}
