// `pnpm --filter @wallet-guard/auth totp:reencrypt`: seals every TOTP secret again under the first key of
// AUTH_TOTP_ENCRYPTION_KEYS (the old keys must still be listed after it). Rotation: put the new key first and
// deploy, run this, then drop the old key. Reads DATABASE_URL (or the embedded database in DATA_DIR).
import { join } from 'node:path';
import { authConfigSchema, loadConfig } from '@wallet-guard/config';
import { openDatabase } from '@wallet-guard/db';
import { reencryptSecrets } from '../reencrypt';
import { SecretBox } from '../secret-box';

const config = loadConfig(authConfigSchema);
const { dataDir } = config.database;
const handle = await openDatabase({
  url: config.database.url,
  dataDir: dataDir === ':memory:' ? dataDir : join(dataDir, 'pglite'),
  applicationName: 'auth-totp-reencrypt',
});
try {
  const box = new SecretBox(config.twoFactor.encryptionKeys);
  const report = await reencryptSecrets(handle.db, box);
  process.stdout.write(
    `database: ${handle.location}\ncurrent key: ${box.currentKeyId}\n` +
      `re-encrypted: ${report.reencrypted}, changed meanwhile: ${report.skipped}, failed: ${report.failed.length}\n`,
  );
  if (report.failed.length > 0) {
    process.stderr.write(
      `could not open the secrets of these accounts (is their key still listed?): ${report.failed.join(', ')}\n`,
    );
    process.exitCode = 1;
  }
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
