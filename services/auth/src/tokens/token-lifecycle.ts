import type { Database } from '@wallet-guard/db';
import type { Transaction } from 'kysely';
import { type OneTimePurpose, revokeOneTimeTokens } from './one-time-tokens';

/**
 * Every bearer or single-use token auth issues is bound to the account state it was issued for,
 * besides its own maximum age; a change of that state voids what it must, in the transaction
 * that changes it (so no request can slip between):
 *
 * | token (max age)                 | bound to                         | voided by                                   |
 * | ------------------------------- | -------------------------------- | ------------------------------------------- |
 * | access token (10 min)           | its session                      | session end: sign-out, freeze, password change (other sessions), reset, refresh reuse |
 * | refresh token (14 d idle, 30 d) | its session                      | as the access token; rotation               |
 * | mfa token (5 min, 5 tries)      | the password it proved, active   | unfreeze, password change, reset; refused while frozen or locked |
 * | reset link (30 min)             | the password it replaces, active | a newer link, freeze, password change, reset |
 * | unlock link (1 h)               | the lock it was sent for         | any lift of the locks: link, agent, reset; freeze |
 * | freeze link (7 d)               | the active spell it reports on   | unfreeze (an agent settled the matter)      |
 * | recovery codes (no expiry)      | the two-factor enrolment         | a new set, turning two-factor off           |
 * | pending TOTP secret (15 min)    | the sessions that could confirm it | freeze, password change, reset            |
 *
 * A freeze link survives password changes and resets on purpose: "that was not me" must still
 * work after the change it reports. Unfreezing voids mfa tokens too: one opened before the freeze
 * must not come back to life with the account.
 */
export type AccountStateChange = 'frozen' | 'unfrozen' | 'password_changed' | 'password_reset' | 'locks_lifted';

const VOIDS: Record<AccountStateChange, { oneTime: readonly OneTimePurpose[]; mfa: boolean; pendingEnrolment?: true }> =
  {
    // An mfa token is not voided here but refused at use while frozen, answered like a wrong code:
    // whoever holds the password but not the second factor must not learn that the owner froze it.
    frozen: { oneTime: ['password_reset', 'unlock'], mfa: false, pendingEnrolment: true },
    unfrozen: { oneTime: ['freeze'], mfa: true },
    password_changed: { oneTime: ['password_reset'], mfa: true, pendingEnrolment: true },
    password_reset: { oneTime: ['password_reset', 'unlock'], mfa: true, pendingEnrolment: true },
    locks_lifted: { oneTime: ['unlock'], mfa: false },
  };

/** Voids the account's outstanding tokens that `change` makes stale (table above). Idempotent. */
export async function voidTokensFor(
  trx: Transaction<Database>,
  accountId: string,
  change: AccountStateChange,
  now: Date,
): Promise<void> {
  const { oneTime, mfa, pendingEnrolment } = VOIDS[change];
  await revokeOneTimeTokens(trx, accountId, oneTime, now);
  if (mfa) {
    await trx
      .updateTable('auth_mfa_challenges')
      .set({ used_at: now })
      .where('account_id', '=', accountId)
      .where('used_at', 'is', null)
      .execute();
  }
  if (pendingEnrolment) {
    // A secret shown to whoever held a session that this change ended must not be confirmable later.
    await trx
      .updateTable('auth_totp')
      .set({ pending_ciphertext: null, pending_key_id: null, pending_created_at: null, updated_at: now })
      .where('account_id', '=', accountId)
      .where('pending_ciphertext', 'is not', null)
      .execute();
  }
}
