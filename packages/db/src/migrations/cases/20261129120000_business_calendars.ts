import { type Kysely, sql } from 'kysely';

/**
 * Business-hours calendars for SLAs. `sla_calendar_versions` holds every version of the calendar
 * settings (named calendars: time zone, weekly hours, holidays; and the calendar of each
 * priority), who saved it and when: append-only like the case timeline, so it is the audit trail
 * of those settings. A case records the version its deadlines are computed with
 * (`sla_calendar_version`; null for cases opened before calendars, which stay 24/7), and the
 * intervals it waited on the customer (`sla_pauses`), since a pause is credited in calendar time
 * and the calendar changes with the priority.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table sla_calendar_versions (
      version integer primary key check (version > 0),
      settings jsonb not null,
      changed_by text not null,
      changed_at timestamptz not null default now(),
      note text
    )`.execute(db);
  await sql`
    create function sla_calendar_versions_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'sla_calendar_versions is append-only' using errcode = '55000';
    end $$`.execute(db);
  await sql`
    create trigger sla_calendar_versions_no_change before update or delete on sla_calendar_versions
    for each row execute function sla_calendar_versions_append_only()`.execute(db);
  await sql`
    create trigger sla_calendar_versions_no_truncate before truncate on sla_calendar_versions
    for each statement execute function sla_calendar_versions_append_only()`.execute(db);
  await sql`
    alter table cases
      add column sla_calendar_version integer references sla_calendar_versions (version),
      add column sla_pauses jsonb not null default '[]'::jsonb check (jsonb_typeof(sla_pauses) = 'array')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table cases drop column sla_pauses, drop column sla_calendar_version`.execute(db);
  await sql`drop table sla_calendar_versions`.execute(db);
  await sql`drop function sla_calendar_versions_append_only()`.execute(db);
}
