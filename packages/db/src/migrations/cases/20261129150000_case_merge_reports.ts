import { type Kysely, sql } from 'kysely';

/**
 * Merging duplicate cases, and the supervisors' reports.
 *
 * `cases.merged_into` points a merged duplicate at the case that survived it (same account: the
 * merge checks it under lock), and `merged_at` says when. A merged case is closed, never its own
 * survivor, and never reopened: the checks make the pointer and the status agree. Chains are kept
 * one hop long (merging a survivor re-points the cases merged into it), so a merged case number
 * resolves to its survivor with one lookup (`cases_merged_into`).
 *
 * The reports group cases by the time they opened and were resolved in a bounded period:
 * `cases_opened_at` and `cases_resolved_at` keep those scans to the period's rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table cases
      add column merged_into uuid references cases (id),
      add column merged_at timestamptz,
      add constraint cases_merged_not_self check (merged_into is null or merged_into <> id),
      add constraint cases_merged_closed check (merged_into is null or (status = 'closed' and merged_at is not null))`.execute(
    db,
  );
  await sql`create index cases_merged_into on cases (merged_into) where merged_into is not null`.execute(db);
  await sql`create index cases_opened_at on cases (opened_at)`.execute(db);
  await sql`create index cases_resolved_at on cases (resolved_at) where resolved_at is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index cases_resolved_at`.execute(db);
  await sql`drop index cases_opened_at`.execute(db);
  await sql`drop index cases_merged_into`.execute(db);
  await sql`
    alter table cases
      drop constraint cases_merged_closed,
      drop constraint cases_merged_not_self,
      drop column merged_at,
      drop column merged_into`.execute(db);
}
