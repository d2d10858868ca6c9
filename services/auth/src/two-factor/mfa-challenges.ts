import type { ClientContext } from '@wallet-guard/contracts';
import type { Database, SessionRestriction } from '@wallet-guard/db';
import type { Kysely, Transaction } from 'kysely';
import { emailCodeHash } from '../email-code/email-code';
import type { CounterKey } from '../lockout/lockout-store';
import { newOpaqueToken, tokenHash } from '../tokens/opaque-token';

type Db = Kysely<Database> | Transaction<Database>;

/** The second sign-in step a right password opened. */
export interface MfaChallenge {
  accountId: string;
  /** The lockout counter the password was counted on: the codes are counted there too. */
  counter: CounterKey;
  context: ClientContext;
  /** The restriction of the session this step opens (`password_change`: a leaked password). */
  restriction?: SessionRestriction | undefined;
}

/**
 * Opens the second step; only the token's SHA-256 is stored. With `emailCode`, the step accepts
 * that code, kept as an HMAC keyed with the token (see `emailCodeHash`).
 */
export async function openMfaChallenge(
  db: Db,
  challenge: MfaChallenge,
  now: Date,
  ttlSeconds: number,
  emailCode?: string,
): Promise<string> {
  const token = newOpaqueToken('mfa');
  await db
    .insertInto('auth_mfa_challenges')
    .values({
      token_hash: tokenHash(token),
      account_id: challenge.accountId,
      email_key: challenge.counter.emailKey,
      counter_subject: challenge.counter.subject,
      context: JSON.stringify(challenge.context),
      created_at: now,
      expires_at: new Date(now.getTime() + ttlSeconds * 1000),
      email_code_hash: emailCode === undefined ? null : emailCodeHash(token, emailCode),
      restriction: challenge.restriction ?? null,
    })
    .execute();
  return token;
}

/**
 * Spends one of the token's attempts, atomically: concurrent requests each take their own, and
 * none once `maxAttempts` are spent. Undefined for an unknown, used, expired or spent token.
 */
export async function takeMfaAttempt(
  db: Kysely<Database>,
  token: string,
  now: Date,
  maxAttempts: number,
): Promise<MfaChallenge | undefined> {
  const row = await db
    .updateTable('auth_mfa_challenges')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('token_hash', '=', tokenHash(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .where('attempts', '<', maxAttempts)
    .returning(['account_id', 'email_key', 'counter_subject', 'context', 'restriction'])
    .executeTakeFirst();
  return row ? toChallenge(row) : undefined;
}

/**
 * The open second step of this token, without spending an attempt (for the passkey options the
 * step then answers). Undefined for an unknown, used, expired or spent token.
 */
export async function findMfaChallenge(
  db: Kysely<Database>,
  token: string,
  now: Date,
  maxAttempts: number,
): Promise<MfaChallenge | undefined> {
  const row = await db
    .selectFrom('auth_mfa_challenges')
    .select(['account_id', 'email_key', 'counter_subject', 'context', 'restriction'])
    .where('token_hash', '=', tokenHash(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .where('attempts', '<', maxAttempts)
    .executeTakeFirst();
  return row ? toChallenge(row) : undefined;
}

function toChallenge(row: {
  account_id: string;
  email_key: string;
  counter_subject: string;
  context: unknown;
  restriction: SessionRestriction | null;
}): MfaChallenge {
  return {
    accountId: row.account_id,
    counter: { emailKey: row.email_key, subject: row.counter_subject },
    context: row.context as ClientContext,
    ...(row.restriction ? { restriction: row.restriction } : {}),
  };
}

/**
 * Uses up the e-mailed code of this open step when `code` is it: one atomic update clears the
 * stored HMAC, so of concurrent right codes exactly one gets true, and the code never works twice.
 * False for a wrong code, a step of another account, or one without (or past) its code.
 */
export async function claimEmailCode(
  db: Kysely<Database>,
  input: { mfaToken: string; accountId: string; code: string },
  now: Date,
): Promise<boolean> {
  const row = await db
    .updateTable('auth_mfa_challenges')
    .set({ email_code_hash: null })
    .where('token_hash', '=', tokenHash(input.mfaToken))
    .where('account_id', '=', input.accountId)
    .where('email_code_hash', '=', emailCodeHash(input.mfaToken, input.code))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('token_hash')
    .executeTakeFirst();
  return row !== undefined;
}

/** What a passkey ceremony of the second step is bound to: this mfaToken (by its SHA-256, like the store). */
export const mfaBinding = (token: string): string => `mfa:${tokenHash(token)}`;

/** Closes the step once a code was right; exactly one of concurrent successes gets true. */
export async function closeMfaChallenge(db: Kysely<Database>, token: string, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('auth_mfa_challenges')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash(token))
    .where('used_at', 'is', null)
    .returning('token_hash')
    .executeTakeFirst();
  return row !== undefined;
}

export async function pruneMfaChallenges(db: Kysely<Database>, before: Date): Promise<void> {
  await db.deleteFrom('auth_mfa_challenges').where('expires_at', '<', before).execute();
}
