import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * One run covers every package, service and cross-service test. Tests use real Postgres
 * (a database per file, cloned from a migrated template) and a real Kafka broker (topics with
 * a random prefix per file); `npm test` starts both when they are not running.
 */
export default defineConfig({
  test: {
    root,
    include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    // Run alone, after this run: tests/vitest.serial.config.ts (faults, and the timed tests).
    exclude: [
      '**/node_modules/**',
      'tests/faults/**',
      'tests/workspace/processes.test.ts',
      'services/auth/src/sessions/sign-in-timing.test.ts',
      'services/auth/src/account-enumeration.test.ts',
    ],
    globalSetup: ['tests/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 90_000,
    teardownTimeout: 30_000,
    reporters: ['default'],
  },
});
