import { type Kysely, sql } from 'kysely';

/**
 * Managed lists (issue 17): counterparties, devices, IP prefixes and countries an analyst marks
 * `block`, `review` or `allow`, read by the rules.
 *
 * - `monitor_lists_version`: one row, the lists' version. Every change bumps it with
 *   `update ... set version = version + 1 returning version` in the change's own transaction: the
 *   row lock orders concurrent changes, so each gets its own version and versions only grow.
 * - `monitor_list_entries`: the entries. Removal is soft (`removed_at`), so an entry's history
 *   stays readable; one live entry per (kind, value) (partial unique index), so a duplicate is a
 *   conflict the database decides, not a check that two requests can both pass.
 * - `monitor_list_audit`: every change, who, when, what, the entry before and after, stamped with
 *   the version it produced (unique). Append-only: a trigger refuses updates, deletes and truncate.
 * - `monitor_flags.lists_version`: the lists version a flag was scored with (null on older flags),
 *   and the counterparty the flagged transaction paid (`counterparty_kind`, `counterparty_id`,
 *   null when it named none or on older flags), which an agent labelling confirmed fraud may add
 *   to the block list.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table monitor_lists_version (
      id boolean primary key default true check (id),
      version bigint not null check (version >= 0)
    )`.execute(db);
  await sql`insert into monitor_lists_version (id, version) values (true, 0)`.execute(db);

  await sql`
    create table monitor_list_entries (
      id uuid primary key,
      kind text not null check (kind in ('counterparty', 'device', 'ip', 'country')),
      value text not null check (char_length(value) between 1 and 200),
      action text not null check (action in ('block', 'review', 'allow')),
      reason text not null check (char_length(reason) between 1 and 500),
      author text not null,
      expires_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      updated_by text not null,
      version bigint not null,
      removed_at timestamptz,
      removed_by text,
      check ((removed_at is null) = (removed_by is null))
    )`.execute(db);
  await sql`create unique index monitor_list_entries_live on monitor_list_entries (kind, value) where removed_at is null`.execute(
    db,
  );
  // The console's table: newest first, with id as the tie-breaker of the cursor.
  await sql`create index monitor_list_entries_created on monitor_list_entries (created_at desc, id desc)`.execute(db);

  await sql`
    create table monitor_list_audit (
      version bigint primary key,
      entry_id uuid not null references monitor_list_entries (id),
      operation text not null check (operation in ('added', 'changed', 'removed')),
      actor text not null,
      at timestamptz not null default now(),
      note text,
      before jsonb,
      after jsonb not null
    )`.execute(db);
  await sql`create index monitor_list_audit_entry on monitor_list_audit (entry_id, version desc)`.execute(db);
  await sql`
    create function monitor_list_audit_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'monitor_list_audit is append-only' using errcode = '55000';
    end $$`.execute(db);
  await sql`
    create trigger monitor_list_audit_no_change before update or delete on monitor_list_audit
    for each row execute function monitor_list_audit_append_only()`.execute(db);
  await sql`
    create trigger monitor_list_audit_no_truncate before truncate on monitor_list_audit
    for each statement execute function monitor_list_audit_append_only()`.execute(db);

  // Nullable without defaults: adding them rewrites nothing, however many flags there are.
  await sql`
    alter table monitor_flags
      add column lists_version bigint,
      add column counterparty_kind text,
      add column counterparty_id text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table monitor_flags
      drop column lists_version,
      drop column counterparty_kind,
      drop column counterparty_id`.execute(db);
  await sql`drop table monitor_list_audit`.execute(db);
  await sql`drop function monitor_list_audit_append_only()`.execute(db);
  await sql`drop table monitor_list_entries`.execute(db);
  await sql`drop table monitor_lists_version`.execute(db);
}
