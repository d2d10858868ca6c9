// `pnpm build`: compiles every service and package (see ../compile.ts) and checks that each
// service's production entry point is there: services/<name>/dist/server.js (main.js for the
// standalone process), started with plain `node`. `--skip services/x` leaves a project out.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compileWorkspace } from '../compile';
import { serviceEntries } from '../entries';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const { values } = parseArgs({ options: { skip: { type: 'string', multiple: true, default: [] } } });
const started = performance.now();
try {
  const result = await compileWorkspace(root, values.skip);
  const entries = serviceEntries(root).filter((e) => !values.skip.includes(`services/${e.name}`));
  const missing = entries.filter((entry) => !existsSync(entry.compiled));
  if (missing.length > 0) throw new Error(`no entry point for ${missing.map((e) => e.name).join(', ')}`);
  process.stdout.write(
    `build: ${result.files} files and ${result.assets} assets of ${result.projects.length} projects in ${Math.round(performance.now() - started)} ms\n`,
  );
  for (const entry of entries) process.stdout.write(`  node ${relative(root, entry.compiled)}\n`);
} catch (error) {
  // esbuild has already printed each error with its file and line.
  process.stderr.write(`build failed: ${(error as Error).message.split('\n')[0]}\n`);
  process.exit(1);
}
