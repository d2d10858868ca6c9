import type { Database } from '@wallet-guard/db';
import type { Kysely, Transaction } from 'kysely';

/** What a ceremony's options were made for: a passkey answer serves that and nothing else. */
export type CeremonyKind = 'registration' | 'authentication';

/**
 * `sign_in`: usernameless; `second_step`: after the password (bound to the mfa challenge);
 * `step_up`: a change that needs a second factor (bound to the step-up's purpose);
 * `registration`: adding a passkey; `payment_confirmation`: bound to the confirmation.
 */
export type CeremonyPurpose = 'sign_in' | 'second_step' | 'step_up' | 'registration' | 'payment_confirmation';

export interface CeremonyBinding {
  kind: CeremonyKind;
  purpose: CeremonyPurpose;
  /** Null for a usernameless sign-in: the passkey names the account. */
  accountId: string | null;
  boundTo: string | null;
}

type Db = Kysely<Database> | Transaction<Database>;

export async function insertCeremony(
  db: Db,
  ceremony: CeremonyBinding & { id: string; challenge: string },
  now: Date,
  ttlSeconds: number,
): Promise<void> {
  await db
    .insertInto('auth_webauthn_ceremonies')
    .values({
      id: ceremony.id,
      kind: ceremony.kind,
      purpose: ceremony.purpose,
      account_id: ceremony.accountId,
      challenge: ceremony.challenge,
      bound_to: ceremony.boundTo,
      created_at: now,
      expires_at: new Date(now.getTime() + ttlSeconds * 1000),
    })
    .execute();
}

/**
 * Uses the ceremony up and returns its challenge (base64url), in one atomic update: only when it
 * is unused, unexpired and was started for exactly this kind, purpose, account and binding. Of
 * concurrent answers to one ceremony exactly one gets the challenge; undefined for the others and
 * for an unknown, used, expired or mismatched ceremony (which stays as it was).
 */
export async function takeCeremony(
  db: Db,
  id: string,
  binding: CeremonyBinding,
  now: Date,
): Promise<string | undefined> {
  const row = await db
    .updateTable('auth_webauthn_ceremonies')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .where('kind', '=', binding.kind)
    .where('purpose', '=', binding.purpose)
    .where((eb) =>
      eb.and([
        binding.accountId === null ? eb('account_id', 'is', null) : eb('account_id', '=', binding.accountId),
        binding.boundTo === null ? eb('bound_to', 'is', null) : eb('bound_to', '=', binding.boundTo),
      ]),
    )
    .returning('challenge')
    .executeTakeFirst();
  return row?.challenge;
}

export async function pruneCeremonies(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('auth_webauthn_ceremonies').where('expires_at', '<', before).execute();
}
