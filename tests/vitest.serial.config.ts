import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Tests that need the machine to themselves, run one file at a time after the main run:
 * - the fault tests (tests/faults): each breaks something on purpose (kills a service, stops the
 *   broker, restarts Postgres), on a Kafka broker of their own (port 19092) and, for the Postgres
 *   restart, a cluster of their own (port 55432); the shared Postgres on 5432 and broker on 9092
 *   are never stopped;
 * - the tests that compare or bound durations, which a busy machine would make flaky: README
 *   command 1 (tests/workspace/processes.test.ts, its 30 s from installed to healthy) and the
 *   response-time comparisons of account enumeration (auth's sign-in-timing and
 *   account-enumeration tests; the same cases are counted, not timed, in the main run:
 *   services/auth/src/account-enumeration-work.test.ts).
 * `infra/test-all.sh` runs them last. Service logs are captured and scanned for secrets here too.
 */
export default defineConfig({
  test: {
    root,
    include: [
      'tests/faults/**/*.test.ts',
      'tests/workspace/processes.test.ts',
      'services/auth/src/sessions/sign-in-timing.test.ts',
      'services/auth/src/account-enumeration.test.ts',
    ],
    exclude: ['**/node_modules/**'],
    globalSetup: ['tests/faults/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
    reporters: ['default'],
  },
});
