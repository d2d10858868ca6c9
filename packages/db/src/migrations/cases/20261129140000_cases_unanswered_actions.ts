import { type Kysely, sql } from 'kysely';

/**
 * support-cases looks, every SLA check interval, for account actions requested from a case whose
 * outcome was never recorded (the process stopped while the other service acted). This index keeps
 * that look to the requests themselves instead of the whole timeline.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index case_timeline_action_requests on case_timeline (at) where kind = 'action_requested'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index case_timeline_action_requests`.execute(db);
}
