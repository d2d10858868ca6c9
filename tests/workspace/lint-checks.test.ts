import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name: string) => join(root, 'node_modules/.bin', name);

const fixtures: string[] = [];
afterAll(() => {
  for (const dir of fixtures) rmSync(dir, { recursive: true, force: true });
});

/** A throw-away workspace in a temp folder with the given files. */
function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wg-lint-'));
  fixtures.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const run = (command: string, args: string[], cwd: string) => {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
};

describe('import circles (dependency-cruiser, in the lint step)', () => {
  const cruise = (files: Record<string, string>) =>
    run(
      bin('depcruise'),
      ['--config', join(root, 'infra', 'lint', 'dependency-cruiser.cjs'), '--output-type', 'err', 'src'],
      fixture(files),
    );

  it('fails on a circle, naming the modules in it', () => {
    const result = cruise({
      'src/deps.ts': "import { helper } from './sessions/second-factor';\n\nexport const deps = { helper };\n",
      'src/sessions/second-factor.ts':
        "import type { deps } from '../deps';\n\nexport const helper = (d: typeof deps) => d;\n",
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('no-circular');
    expect(result.output).toContain('src/sessions/second-factor.ts');
  });

  it('passes when imports point one way', () => {
    const result = cruise({
      'src/deps.ts': "import { helper } from './sessions/second-factor';\n\nexport const deps = { helper };\n",
      'src/sessions/second-factor.ts': 'export const helper = 1;\n',
    });
    expect(result.output).not.toContain('no-circular');
    expect(result.status).toBe(0);
  });
});

describe('unused exports and files (knip with the project config, in the lint step)', () => {
  const knip = (index: string) => {
    const dir = fixture({
      'package.json': JSON.stringify({ name: 'fixture', private: true, type: 'module' }),
      'pnpm-workspace.yaml': 'packages:\n  - packages/*\n',
      'packages/demo/package.json': JSON.stringify({
        name: '@wallet-guard/demo',
        private: true,
        type: 'module',
        exports: { '.': './src/index.ts' },
      }),
      'packages/demo/src/index.ts': index,
      'packages/demo/src/lockout-store.ts':
        'export const incrementFailures = (n: number) => n + 1;\n\nexport const takeNumber = (n: number) => n;\n',
      'packages/demo/src/orphan.ts': 'export const nobodyImportsMe = 1;\n',
      'services/app/package.json': JSON.stringify({
        name: 'app',
        private: true,
        type: 'module',
        dependencies: { '@wallet-guard/demo': 'workspace:*' },
      }),
    });
    copyFileSync(join(root, 'knip.json'), join(dir, 'knip.json'));
    return run(bin('knip'), ['--no-progress', '--no-config-hints'], dir);
  };

  it("fails on an export nobody imports and on a file nothing reaches, in a package's public entry too", () => {
    const result = knip("export { incrementFailures } from './lockout-store';\n");
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/Unused files[\s\S]*packages\/demo\/src\/orphan\.ts/);
    expect(result.output).toMatch(/Unused exports[\s\S]*takeNumber/);
    expect(result.output).toMatch(/incrementFailures/);
  });
});

describe('test-only code stays out of production (biome noRestrictedImports)', () => {
  /** Lints one throw-away file placed in `folder` of this repository with the project's rules. */
  function lintAt(folder: string, name: string, source: string) {
    const file = join(root, folder, `zz-testing-probe-${process.pid}-${name}`);
    writeFileSync(file, source);
    try {
      return run(bin('biome'), ['lint', file], root);
    } finally {
      rmSync(file, { force: true });
    }
  }

  it.each([
    ['services/auth/src', "import { startAuth } from './testing/harness';\n\nexport const probe = startAuth;\n"],
    ['services/support-cases/src/cases', "import { x } from '../testing/harness';\n\nexport const probe = x;\n"],
    ['services/auth/src', "import { waitFor } from '@wallet-guard/testing';\n\nexport const probe = waitFor;\n"],
    ['packages/http/src', "import { waitFor } from '@wallet-guard/testing';\n\nexport const probe = waitFor;\n"],
    [
      'services/standalone/src',
      "import { x } from '@wallet-guard/transaction-monitor/testing';\n\nexport const probe = x;\n",
    ],
  ])('fails when production code in %s imports test-only code: %s', (folder, source) => {
    const result = lintAt(folder, 'prod.ts', source);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('Test-only code');
  });

  it.each([
    ['services/auth/src', 'probe.test.ts'],
    ['services/auth/src/testing', 'helper.ts'],
    ['tests/workspace', 'helper.ts'],
  ])('passes for a test or a testing/ module (%s/%s)', (folder, name) => {
    const result = lintAt(
      folder,
      name,
      "import { waitFor } from '@wallet-guard/testing';\n\nexport const probe = waitFor;\n",
    );
    expect(result.output).not.toContain('noRestrictedImports');
    expect(result.status).toBe(0);
  });
});
