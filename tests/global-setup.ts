import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareTemplateDatabase, TEST_DATABASE_URL, TEST_KAFKA_BROKERS } from '@wallet-guard/testing';
import { Kafka, logLevel } from 'kafkajs';
import { describeFindings, readSecrets, scanLogFile } from './security/secret-scanner';

/**
 * Fails fast, with the command to run, when Postgres or Kafka is missing; builds the template
 * database; and captures every log line the services under test write (at debug level) into one
 * file, which the teardown scans: the run fails when a password, token, key, TOTP secret or code
 * appears in it. `TEST_LOG_CAPTURE=off` runs without the capture (and at the usual quiet level).
 */
export default async function setup(): Promise<() => Promise<void>> {
  try {
    await prepareTemplateDatabase();
  } catch (error) {
    throw new Error(
      `Postgres is not usable at ${TEST_DATABASE_URL} (${(error as Error).message}). Run: bash infra/postgres/ensure.sh`,
    );
  }
  const admin = new Kafka({ brokers: TEST_KAFKA_BROKERS, logLevel: logLevel.NOTHING, retry: { retries: 2 } }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (error) {
    throw new Error(
      `Kafka is not reachable at ${TEST_KAFKA_BROKERS.join(',')} (${(error as Error).message}). Run: bash infra/kafka/start.sh`,
    );
  } finally {
    await admin.disconnect();
  }
  return startLogCapture();
}

/**
 * Points every test worker (they inherit this environment) at a fresh capture file, and a file
 * beside it where the tests note the exact secrets they create (passwords, tokens, codes). The
 * returned teardown scans the capture for secret-shaped text and for each noted secret. Also used
 * by the serial run (tests/faults/support/global-setup.ts).
 */
export function startLogCapture(): () => Promise<void> {
  if (process.env.TEST_LOG_CAPTURE === 'off') return async () => {};
  const file = process.env.TEST_LOG_FILE || join(tmpdir(), `wallet-guard-test-logs-${process.pid}-${Date.now()}.jsonl`);
  const secrets = `${file}.secrets`;
  writeFileSync(file, '');
  writeFileSync(secrets, '');
  process.env.TEST_LOG_FILE = file;
  return async () => {
    if (!existsSync(file)) throw new Error(`the log capture ${file} disappeared during the run`);
    const noted = await readSecrets(secrets);
    const { lines, findings } = await scanLogFile(file, noted);
    if (findings.length > 0) {
      // The files stay for whoever investigates; the report names lines and kinds, never a secret.
      // vitest reports a teardown error but keeps the exit status, so set it too.
      process.exitCode = 1;
      throw new Error(describeFindings(file, findings));
    }
    console.log(
      `log capture: ${lines} lines written by the services under test, no secret among them (${noted.size} secrets the tests created looked for)`,
    );
    if (process.env.TEST_LOG_KEEP !== '1') {
      rmSync(file, { force: true });
      rmSync(secrets, { force: true });
    }
  };
}
