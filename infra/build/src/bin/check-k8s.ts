// `pnpm --filter @wallet-guard/build check:k8s`: validates infra/k8s (see ../k8s-manifests.ts);
// exits 1 listing each problem.
import { fileURLToPath } from 'node:url';
import { checkManifests, readManifests } from '../k8s-manifests';

const dir = fileURLToPath(new URL('../../../k8s', import.meta.url));
const problems = checkManifests(dir);
for (const p of problems) process.stderr.write(`${p.file} ${p.object}: ${p.message}\n`);
if (problems.length > 0) process.exit(1);
process.stdout.write(`infra/k8s: ${readManifests(dir).length} objects valid\n`);
