import { type Kysely, sql } from 'kysely';

/**
 * The time each case's SLA clocks stood still (waiting for the customer), so that its deadlines
 * can always be derived again from the policy: opened + SLA of the priority + paused. Without it
 * a priority change recomputed deadlines from the opening alone and lost the waiting time.
 * `first_response_paused_ms` counts only pauses while the first response was still owed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table cases
      add column sla_paused_ms bigint not null default 0 check (sla_paused_ms >= 0),
      add column first_response_paused_ms bigint not null default 0 check (first_response_paused_ms >= 0)`.execute(db);
  await backfillSlaPauses(db);
}

/**
 * Cases that already waited on the customer keep that credit: the waiting is read back from the
 * timeline (each move to pending_customer until the next status move; a pause still running is
 * not counted, it is credited when it ends). Before this migration the first response was always
 * given before a pause began (any agent action gives it), so `first_response_paused_ms` stays 0.
 * Exported for its test; runs once, inside the migration.
 */
export async function backfillSlaPauses(db: Kysely<any>): Promise<void> {
  await sql`
    with moves as (
      select case_id, id, at,
        case when kind in ('status_changed', 'escalated') then new_value #>> '{}'
             else new_value ->> 'status' end as to_status
      from case_timeline
      where kind in ('status_changed', 'escalated', 'resolved', 'reopened')
    ), spans as (
      select case_id, to_status, at, lead(at) over (partition by case_id order by id) as until
      from moves
    ), waited as (
      select case_id, sum(floor(extract(epoch from (until - at)) * 1000))::bigint as ms
      from spans
      where to_status = 'pending_customer' and until is not null and until > at
      group by case_id
    )
    update cases c set sla_paused_ms = w.ms from waited w where c.id = w.case_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table cases drop column first_response_paused_ms, drop column sla_paused_ms`.execute(db);
}
