// Builds the agent console into console/dist when it is missing or older than its sources (or
// always, with --force). `npm start` runs it before starting, so a fresh clone serves the console;
// CI builds with --force before the tests; the console tests call ensureConsoleBuilt().
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const consoleDir = fileURLToPath(new URL('.', import.meta.url));
/** Where the built console lands; support-cases serves this folder at /console. */
export const CONSOLE_DIST = join(consoleDir, 'dist');
const contractsDir = fileURLToPath(new URL('../../../packages/contracts/src', import.meta.url));
const sources = [
  join(consoleDir, 'index.html'),
  join(consoleDir, 'vite.config.ts'),
  join(consoleDir, 'src'),
  contractsDir,
];
const lockDir = join(
  tmpdir(),
  `wallet-guard-console-build-${createHash('sha256').update(consoleDir).digest('hex').slice(0, 12)}.lock`,
);

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

function upToDate(): boolean {
  const index = join(CONSOLE_DIST, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newestChange));
}

/** One build at a time across processes (test files, npm start): a directory is created atomically. */
async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      // A lock older than two minutes belongs to a build that died.
      if (existsSync(lockDir) && Date.now() - statSync(lockDir).mtimeMs > 120_000)
        rmSync(lockDir, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Builds unless up to date; resolves to what it did. Throws when the build fails. */
export async function ensureConsoleBuilt({ force = false } = {}): Promise<'built' | 'up-to-date'> {
  if (!force && upToDate()) return 'up-to-date';
  return withLock(async () => {
    if (!force && upToDate()) return 'up-to-date';
    await build({ configFile: join(consoleDir, 'vite.config.ts'), logLevel: 'warn' });
    return 'built';
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const result = await ensureConsoleBuilt({ force: process.argv.includes('--force') });
  process.stdout.write(
    `agent console ${result === 'built' ? `built in ${Date.now() - started} ms` : 'up to date'}: ${CONSOLE_DIST}\n`,
  );
}
