import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { prepareTemplateDatabase, TEST_DATABASE_URL } from '@wallet-guard/testing';
import { compileWorkspace } from '../../../infra/build/src/compile';
import { startLogCapture } from '../../global-setup';
import { FaultBroker } from './fault-broker';

const cleanup = fileURLToPath(new URL('./cleanup.sh', import.meta.url));

/**
 * The fault tests' infrastructure: the migrated template on the shared Postgres (databases the
 * tests do not restart are cloned from it) and a Kafka broker of their own, which the workers
 * find through TEST_KAFKA_BROKERS. Teardown (cleanup.sh) stops and wipes the broker, removes a
 * Postgres cluster and kills service processes a test left behind, whatever happened in the tests.
 * What the services write is captured and scanned for secrets, as in the main run.
 * The services run compiled (service-process.ts): they are compiled here first (under a second),
 * so a run never tests an older build than the sources it sits next to.
 */
export default async function setup(): Promise<() => Promise<void>> {
  await compileWorkspace(fileURLToPath(new URL('../../..', import.meta.url)));
  try {
    await prepareTemplateDatabase();
  } catch (error) {
    throw new Error(
      `Postgres is not usable at ${TEST_DATABASE_URL} (${(error as Error).message}). Run: bash infra/postgres/ensure.sh`,
    );
  }
  await promisify(execFile)('bash', [cleanup]); // what a cut-short earlier run left
  const broker = new FaultBroker();
  await broker.start();
  process.env.TEST_KAFKA_BROKERS = broker.brokers.join(',');
  const scanLogs = startLogCapture();
  return async () => {
    await promisify(execFile)('bash', [cleanup], { timeout: 90_000 });
    await scanLogs();
  };
}
