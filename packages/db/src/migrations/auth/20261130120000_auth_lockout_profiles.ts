import { type Kysely, sql } from 'kysely';

/**
 * Lockout profiles (issue 16). `consecutive_failures` counts a counter's failures since its last
 * success or lifted lock, across windows and locks: NIST SP 800-63B §5.2.2 bounds consecutive
 * failures on an account whatever their pace, which the windowed `failures` cannot. A counter an
 * account's failure touched (`account_known`) keeps that run through housekeeping; the counters
 * of unknown emails are pruned as before. `final_warning_at`: when the owner was last warned that
 * the next lock is permanent (psd2, RTS on SCA Art. 4(4)); a lifted lock clears it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table auth_lockouts
      add column consecutive_failures integer not null default 0,
      add column account_known boolean not null default false,
      add column final_warning_at timestamptz`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table auth_lockouts drop column final_warning_at, drop column account_known, drop column consecutive_failures`.execute(
    db,
  );
}
