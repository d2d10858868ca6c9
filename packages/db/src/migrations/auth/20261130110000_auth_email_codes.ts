import { type Kysely, sql } from 'kysely';

/**
 * Issue 16: the e-mailed sign-in code and the restricted session.
 * - `auth_mfa_challenges.email_code_hash`: HMAC-SHA-256 of the 6-digit code keyed with the
 *   mfaToken itself, which is never stored (only its SHA-256 is): a copy of the database cannot be
 *   searched for the code. Null for a second step without an e-mailed code, and once the code was
 *   used (single use: clearing it is the atomic claim).
 * - `restriction` on the challenge and on the session: `password_change` when the password the
 *   sign-in used is on the leaked-password list; the session can then only change the password,
 *   sign out and read its own account. Null for an ordinary session.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table auth_mfa_challenges add column email_code_hash text`.execute(db);
  await sql`
    alter table auth_mfa_challenges
      add column restriction text check (restriction in ('password_change'))`.execute(db);
  await sql`
    alter table auth_sessions
      add column restriction text check (restriction in ('password_change'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table auth_sessions drop column restriction`.execute(db);
  await sql`alter table auth_mfa_challenges drop column restriction`.execute(db);
  await sql`alter table auth_mfa_challenges drop column email_code_hash`.execute(db);
}
