import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnv, freePort, waitFor } from '@wallet-guard/testing';
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

function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(command, args, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  // 'close' waits for every process holding the output pipes (npm's child too), not just the first.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('README command 1: npm start', () => {
  it('starts all three services on embedded Postgres with no broker; /healthz answers 200 within 30 s; SIGTERM stops it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wg-quickstart-'));
    dirs.push(dataDir);
    const ports = [await freePort(), await freePort(), await freePort()];
    const started = Date.now();
    const proc = run(
      'npm',
      ['start'],
      cleanEnv({
        DATA_DIR: dataDir,
        AUTH_PORT: String(ports[0]),
        MONITOR_PORT: String(ports[1]),
        CASES_PORT: String(ports[2]),
      }),
    );
    for (const port of ports) {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200, {
        timeoutMs: 30_000 - (Date.now() - started),
        intervalMs: 250,
        what: `healthz on ${port}\n${proc.output()}`,
      });
    }
    expect(Date.now() - started).toBeLessThan(30_000);
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
