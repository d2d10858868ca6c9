// The production build on a small workspace of its own: the output layout node needs, and a
// production file that imports a test harness failing the build.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileWorkspace } from '../../infra/build/src/compile';

let root: string;

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const manifest = (name: string, exports: Record<string, string>) =>
  JSON.stringify({ name, private: true, type: 'module', exports });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'wg-compile-'));
  // A package with a type-only import, a JSON import and a sub-folder.
  write('packages/greeting/package.json', manifest('@fx/greeting', { '.': './src/index.ts' }));
  write('packages/greeting/src/words.json', '{ "hello": "hello" }');
  write(
    'packages/greeting/src/index.ts',
    "import words from './words.json';\nimport type { Name } from './names/name';\nexport { shout } from './names/shout';\nexport const greet = (name: Name): string => words.hello + ' ' + name;\n",
  );
  write('packages/greeting/src/names/name.ts', 'export type Name = string;\n');
  write('packages/greeting/src/names/shout.ts', 'export const shout = (s: string): string => s.toUpperCase();\n');
  write('packages/greeting/src/index.test.ts', "import { greet } from './index';\ngreet('never compiled');\n");
  // A service that imports it by name (through node_modules, as pnpm links it) and reads a file
  // next to itself at run time.
  write('services/hello/package.json', manifest('@fx/hello', { './server': './src/server.ts' }));
  write('services/hello/src/motto.txt', 'built once');
  write(
    'services/hello/src/server.ts',
    "import { readFileSync } from 'node:fs';\nimport { greet, shout } from '@fx/greeting';\nconst motto = readFileSync(new URL('./motto.txt', import.meta.url), 'utf8');\nprocess.stdout.write(shout(greet('world')) + ', ' + motto);\n",
  );
  write('services/hello/src/testing/harness.ts', "export const harness = 'test only';\n");
  mkdirSync(join(root, 'services/hello/node_modules/@fx'), { recursive: true });
  symlinkSync('../../../../packages/greeting', join(root, 'services/hello/node_modules/@fx/greeting'));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('compileWorkspace', () => {
  it('writes one ESM file per source into dist/, with imports node resolves, and runs under plain node', async () => {
    const result = await compileWorkspace(root);
    // Assets: motto.txt and words.json (inlined where imported, and copied for code that reads it).
    expect(result).toMatchObject({ files: 4, assets: 2 });
    const server = readFileSync(join(root, 'services/hello/dist/server.js'), 'utf8');
    expect(server).toContain('from "../../../packages/greeting/dist/index.js"');
    const index = readFileSync(join(root, 'packages/greeting/dist/index.js'), 'utf8');
    expect(index).toContain('from "./names/shout.js"');
    expect(index).not.toContain('names/name'); // the type-only import is gone
    expect(() => readFileSync(join(root, 'packages/greeting/dist/index.test.js'))).toThrow();
    expect(() => readFileSync(join(root, 'services/hello/dist/testing/harness.js'))).toThrow();
    const run = await promisify(execFile)(process.execPath, [join(root, 'services/hello/dist/server.js')]);
    expect(run.stdout).toBe('HELLO WORLD, built once');
  });

  it('fails when a production file imports a test harness, naming both', async () => {
    write(
      'services/hello/src/server.ts',
      "import { harness } from './testing/harness';\nprocess.stdout.write(harness);\n",
    );
    await expect(compileWorkspace(root)).rejects.toThrow(
      /imports \.\/testing\/harness .*not part of the production build/,
    );
  });

  it('starts from an empty dist/: a file whose source is gone does not survive a build', async () => {
    write('services/hello/dist/removed-long-ago.js', 'export {};\n');
    await compileWorkspace(root);
    expect(() => readFileSync(join(root, 'services/hello/dist/removed-long-ago.js'))).toThrow();
  });
});
