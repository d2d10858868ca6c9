import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureOutput, cleanEnv, freePort, waitFor } from '@wallet-guard/testing';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(() => {
  for (const child of children) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** pnpm's last line once the dependencies are in place (`npm start` then builds and starts). */
const INSTALLED = /Done in [\d.]+m?s using pnpm/;

function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(command, args, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  let installedAt: number | undefined;
  const collect = (d: Buffer) => {
    output += d;
    if (installedAt === undefined && INSTALLED.test(output)) installedAt = Date.now();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // 'close' waits for every process holding the output pipes (npm's child too), not just the first.
  // The services' log lines join the run's capture, which is scanned for secrets.
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      captureOutput(output, { logLinesOnly: true });
      resolve(code);
    }),
  );
  return { child, exited, output: () => output, installedAt: () => installedAt };
}

describe('README command 1: npm start', () => {
  it('starts every service on embedded Postgres with no broker; /healthz answers 200 within 30 s of the install; SIGTERM stops it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wg-quickstart-'));
    dirs.push(dataDir);
    const ports = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    const started = Date.now();
    const proc = run(
      'npm',
      ['start'],
      cleanEnv({
        DATA_DIR: dataDir,
        AUTH_PORT: String(ports[0]),
        MONITOR_PORT: String(ports[1]),
        CASES_PORT: String(ports[2]),
        NOTIFIER_PORT: String(ports[3]),
        PORTAL_PORT: String(ports[4]),
      }),
    );
    // The promise is about the system, not the network: 30 s from "dependencies installed" (pnpm's
    // summary line) to every /healthz answering. The install itself (npx fetching pnpm, pnpm
    // checking the store) only has to finish within the test's own limit.
    const installedAt = await waitFor(() => proc.installedAt(), {
      timeoutMs: 180_000,
      intervalMs: 100,
      what: `pnpm's "Done in" line\n${proc.output()}`,
    });
    for (const port of ports) {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200, {
        timeoutMs: Math.max(1, 30_000 - (Date.now() - installedAt)),
        intervalMs: 250,
        what: `healthz on ${port}\n${proc.output()}`,
      });
    }
    const healthyAt = Date.now();
    console.log(
      `npm start: installed after ${((installedAt - started) / 1000).toFixed(1)} s, healthy ${((healthyAt - installedAt) / 1000).toFixed(1)} s later`,
    );
    expect(healthyAt - installedAt).toBeLessThan(30_000);
    const ready = await fetch(`http://127.0.0.1:${ports[0]}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: { ok: true } } });
    expect(proc.output()).toContain('docs: http://localhost:');
    expect(proc.output()).toContain('NO API KEYS CONFIGURED');

    const stopAsked = Date.now();
    process.kill(-(proc.child.pid as number), 'SIGTERM');
    await proc.exited;
    expect(Date.now() - stopAsked).toBeLessThan(10_000);
    expect(proc.output()).toContain('"msg":"stopped"');
  });
});

describe('a configuration error', () => {
  it('stops the service with exit status 1 and one line naming each bad variable', async () => {
    const proc = run(
      process.execPath,
      ['--import', 'tsx', 'services/auth/src/server.ts'],
      cleanEnv({
        AUTH_PORT: 'abc',
        KAFKA_BROKERS: 'nonsense',
      }),
    );
    expect(await proc.exited).toBe(1);
    const lines = proc.output().trim().split('\n');
    expect(lines.sort()).toEqual([
      'config error: AUTH_PORT: must be a port number',
      'config error: KAFKA_BROKERS: must be a comma-separated list of host:port',
    ]);
  });

  it('refuses production without real API keys', async () => {
    const proc = run(
      process.execPath,
      ['--import', 'tsx', 'services/support-cases/src/server.ts'],
      cleanEnv({ NODE_ENV: 'production' }),
    );
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('config error: CASES_API_KEYS: is required in production');
  });
});
