import type { Database } from '@wallet-guard/db';
import type { Kysely } from 'kysely';
import type { SealedSecret, SecretBox } from './secret-box';
import { secretContext } from './totp-second-factor';

export interface ReencryptionReport {
  /** Secrets now sealed under the current key. */
  reencrypted: number;
  /** Rows that changed while we worked (enrolled, confirmed or turned off): whatever they hold now was sealed under the current key. */
  skipped: number;
  /** Accounts whose secret could not be opened (its key is not configured, or the ciphertext is damaged). */
  failed: string[];
}

type Column = 'secret' | 'pending';

/**
 * Seals every stored TOTP secret (active and pending) that is not under the current key again
 * under it, a batch of rows at a time. Each row is written only if it still holds the ciphertext
 * that was read, so it is safe while the service runs; idempotent (a second run finds nothing).
 * Never logs or returns a secret.
 */
export async function reencryptSecrets(
  db: Kysely<Database>,
  box: SecretBox,
  batchSize = 200,
): Promise<ReencryptionReport> {
  const report: ReencryptionReport = { reencrypted: 0, skipped: 0, failed: [] };
  const current = box.currentKeyId;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await db
      .selectFrom('auth_totp')
      .select(['account_id', 'secret_ciphertext', 'secret_key_id', 'pending_ciphertext', 'pending_key_id'])
      .where('account_id', '>', after)
      .where((eb) => eb.or([eb('secret_key_id', '<>', current), eb('pending_key_id', '<>', current)]))
      .orderBy('account_id')
      .limit(batchSize)
      .execute();
    for (const row of rows) {
      const sealed: Array<[Column, SealedSecret]> = [];
      if (row.secret_key_id && row.secret_ciphertext && row.secret_key_id !== current) {
        sealed.push(['secret', { keyId: row.secret_key_id, ciphertext: row.secret_ciphertext }]);
      }
      if (row.pending_key_id && row.pending_ciphertext && row.pending_key_id !== current) {
        sealed.push(['pending', { keyId: row.pending_key_id, ciphertext: row.pending_ciphertext }]);
      }
      for (const [column, old] of sealed) {
        let resealed: SealedSecret;
        try {
          resealed = box.seal(box.open(old, secretContext(row.account_id)), secretContext(row.account_id));
        } catch {
          report.failed.push(row.account_id);
          continue;
        }
        const written = await db
          .updateTable('auth_totp')
          .set({ [`${column}_ciphertext`]: resealed.ciphertext, [`${column}_key_id`]: resealed.keyId })
          .where('account_id', '=', row.account_id)
          .where(`${column}_ciphertext`, '=', old.ciphertext)
          .returning('account_id')
          .executeTakeFirst();
        if (written) report.reencrypted += 1;
        else report.skipped += 1;
      }
    }
    if (rows.length < batchSize) return report;
    after = (rows.at(-1) as { account_id: string }).account_id;
  }
}
