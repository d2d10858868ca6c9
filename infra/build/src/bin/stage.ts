// `node --import tsx infra/build/src/bin/stage.ts <dest>`: the Dockerfile's runtime tree (see
// ../stage.ts). Run after `pnpm build`; then `pnpm install --prod --frozen-lockfile` in <dest>.
import { fileURLToPath } from 'node:url';
import { stageRuntime } from '../stage';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const dest = process.argv[2];
if (!dest) {
  process.stderr.write('usage: stage.ts <destination folder>\n');
  process.exit(2);
}
try {
  process.stdout.write(`staged ${stageRuntime(root, dest).length} paths into ${dest}\n`);
} catch (error) {
  process.stderr.write(`stage failed: ${(error as Error).message}\n`);
  process.exit(1);
}
