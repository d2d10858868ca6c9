import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@wallet-guard/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES_FILE } from './scoring/rules-store';

const serviceRoot = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'txm-process-'));
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('the monitor process', () => {
  it('reloads its rules on SIGHUP without stopping, and stops gracefully on SIGTERM', async () => {
    const rulesFile = join(dir, 'rules.yaml');
    copyFileSync(DEFAULT_RULES_FILE, rulesFile);
    let output = '';
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: serviceRoot,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATA_DIR: ':memory:',
        MONITOR_PORT: '0',
        MONITOR_RULES_FILE: rulesFile,
        MONITOR_RULES_WATCH: 'false',
      },
    });
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    const url = await waitFor(() => /listening on (http:\/\/localhost:\d+)/.exec(output)?.[1], {
      what: 'the monitor listening',
      // A ceiling, not a measurement: the embedded Postgres and its migrations start slowly when
      // the other test workers hold both cores.
      timeoutMs: 90_000,
    });
    const version = async () =>
      /monitor_rules_version_info\{version="([^"]+)"/.exec(await (await fetch(`${url}/metrics`)).text())?.[1];
    expect(await version()).toBe('2026-11-30.1');

    writeFileSync(
      rulesFile,
      readFileSync(rulesFile, 'utf8').replace('version: "2026-11-30.1"', 'version: "2026-12-24.1"'),
    );
    child.kill('SIGHUP');
    await waitFor(async () => (await version()) === '2026-12-24.1', { what: 'rules reloaded' });
    expect(child.exitCode).toBeNull();

    const exited = new Promise<number | null>((resolve) => child?.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('"signal":"SIGTERM","msg":"shutting down"');
    expect(output).toContain('"msg":"rules reloaded"');
  }, 150_000);
});
