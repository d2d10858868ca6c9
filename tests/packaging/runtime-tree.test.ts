// The production image's runtime stage, without Docker: the compiled workspace staged as the
// Dockerfile stages it, production dependencies installed into it the same way (offline, from
// the store the test run's install filled), then the standalone process started from there with
// plain node, its health check run, and SIGTERM.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  captureOutput,
  cleanEnv,
  createTestDatabase,
  freePort,
  type TestDatabase,
  waitFor,
} from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileWorkspace } from '../../infra/build/src/compile';
import { stageRuntime } from '../../infra/build/src/stage';

const root = fileURLToPath(new URL('../..', import.meta.url));
const stage = mkdtempSync(join(tmpdir(), 'wg-runtime-'));
let db: TestDatabase;

beforeAll(async () => {
  await compileWorkspace(root);
  stageRuntime(root, stage);
  await promisify(execFile)(
    'npx',
    ['--yes', 'pnpm@10.34.9', 'install', '--offline', '--frozen-lockfile', '--prod', '--reporter=silent'],
    { cwd: stage, env: cleanEnv({}) },
  );
  db = await createTestDatabase({ poolMax: 2 });
}, 120_000);

afterAll(async () => {
  await db?.drop();
  rmSync(stage, { recursive: true, force: true });
});

describe('the runtime tree of the image', () => {
  it('holds production dependencies only: no compiler, bundler or test runner', () => {
    const installed = readdirSync(join(stage, 'node_modules/.pnpm'));
    expect(installed.some((p) => p.startsWith('fastify@'))).toBe(true);
    expect(installed.filter((p) => /^(tsx|esbuild|vite|vitest|@biomejs\+biome)@/.test(p))).toEqual([]);
    expect(existsSync(join(stage, 'tests'))).toBe(false);
    expect(existsSync(join(stage, 'services/auth/src'))).toBe(false);
  });

  it('runs every service in one process under plain node; the health check passes, SIGTERM exits 0', async () => {
    const ports = { AUTH_PORT: 0, MONITOR_PORT: 0, CASES_PORT: 0, NOTIFIER_PORT: 0 };
    for (const name of Object.keys(ports) as (keyof typeof ports)[]) ports[name] = await freePort();
    const env = cleanEnv({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: db.url,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      // A service the standalone process may run too: never on a port someone else holds.
      PORTAL_PORT: String(await freePort()),
    });
    const child = spawn(process.execPath, ['services/standalone/dist/main.js'], {
      cwd: stage,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const health = () =>
        promisify(execFile)(process.execPath, ['infra/build/healthcheck.mjs'], {
          cwd: stage,
          env: { ...env, HEALTHCHECK_PORTS: Object.values(ports).join(',') },
        }).then(
          () => 0,
          (error: { code: number }) => error.code,
        );
      await waitFor(async () => (await health()) === 0, {
        what: `the staged standalone process to be ready:\n${output}`,
        timeoutMs: 60_000,
        intervalMs: 250,
      });
      const agentConsole = await fetch(`http://127.0.0.1:${ports.CASES_PORT}/console/`);
      expect(agentConsole.status).toBe(200);
      expect(await agentConsole.text()).toContain('<script');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(await health()).toBe(1);
    } finally {
      child.kill('SIGKILL');
      captureOutput(output, { logLinesOnly: true });
    }
  });
});
