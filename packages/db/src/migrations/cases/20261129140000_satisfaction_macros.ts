import { type Kysely, sql } from 'kysely';

/**
 * Macros and customer satisfaction.
 *
 * `case_macro_versions` holds every version of every saved reply (macro): its texts per language,
 * the status and visibility it applies, who saved it and when, and whether that version deleted it.
 * Append-only like the case timeline (a trigger refuses changes), so it is the audit trail of the
 * macros; a macro is its latest version. `(macro_id, version)` is the primary key, so of two
 * supervisors saving over the same version exactly one wins.
 *
 * `case_satisfaction` is the rating a customer gives a resolved case: one row per case (primary
 * key `case_id`), created when the case is resolved (the request, with its expiry) and answered at
 * most once (`answered_at` set by one conditional update), with the agent who resolved it and the
 * case type copied in, so the counts per agent and per type read this table only. A reopened case
 * that is resolved again asks again only if the first request was never answered.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table case_macro_versions (
      macro_id uuid not null,
      version integer not null check (version > 0),
      name text not null check (char_length(name) between 1 and 100),
      texts jsonb not null check (jsonb_typeof(texts) = 'object'),
      set_status text check (set_status in ('open', 'pending_customer')),
      visibility text not null check (visibility in ('internal', 'public')),
      deleted boolean not null default false,
      changed_by text not null,
      changed_at timestamptz not null default now(),
      primary key (macro_id, version)
    )`.execute(db);
  await sql`
    create function case_macro_versions_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'case_macro_versions is append-only' using errcode = '55000';
    end $$`.execute(db);
  await sql`
    create trigger case_macro_versions_no_change before update or delete on case_macro_versions
    for each row execute function case_macro_versions_append_only()`.execute(db);
  await sql`
    create trigger case_macro_versions_no_truncate before truncate on case_macro_versions
    for each statement execute function case_macro_versions_append_only()`.execute(db);

  await sql`
    create table case_satisfaction (
      case_id uuid primary key references cases (id),
      case_type text not null,
      account_id uuid not null,
      agent text,
      locale text,
      requested_at timestamptz not null,
      expires_at timestamptz not null check (expires_at > requested_at),
      rating smallint check (rating between 1 and 5),
      comment text check (char_length(comment) <= 2000),
      answered_at timestamptz,
      check ((rating is null) = (answered_at is null))
    )`.execute(db);
  await sql`create index case_satisfaction_answered on case_satisfaction (answered_at) where answered_at is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table case_satisfaction`.execute(db);
  await sql`drop table case_macro_versions`.execute(db);
  await sql`drop function case_macro_versions_append_only()`.execute(db);
}
