// The runtime tree of the production image, assembled outside Docker so it can be tested here:
// the workspace's manifests and lockfile, every compiled dist/, and the few folders read at run
// time next to it. `pnpm install --prod --frozen-lockfile` inside it then adds production
// dependencies only, in the same per-project layout the compiled imports expect.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { workspaceProjects } from './compile';

/** What pnpm needs to install the workspace exactly as locked, and the image's health check. */
const ROOT_FILES = ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'infra/build/healthcheck.mjs'];

/**
 * Read at run time through `new URL(..., import.meta.url)` from outside src/: the monitor's
 * default rules, auth's sign-in risk policy and the agent console the support-cases service
 * serves (built by `pnpm build`). Files or folders.
 */
const RUNTIME_FOLDERS = [
  'services/transaction-monitor/rules',
  'services/auth/risk-policy.yaml',
  'services/support-cases/console/dist',
];

/**
 * Copies the runtime tree of the already built workspace at `root` into `dest` (created).
 * Throws when a service is not built (no dist/) or a runtime folder is missing, so an image is
 * never assembled without them. Returns the copied paths, relative to the root.
 */
export function stageRuntime(root: string, dest: string): string[] {
  const copied: string[] = [];
  const copy = (path: string) => {
    if (!existsSync(join(root, path))) throw new Error(`${path} is missing: run \`pnpm build\` first`);
    cpSync(join(root, path), join(dest, path), { recursive: true });
    copied.push(path);
  };
  mkdirSync(dest, { recursive: true });
  for (const file of ROOT_FILES) copy(file);
  for (const project of workspaceProjects(root)) {
    copy(relative(root, join(project.dir, 'package.json')));
    copy(relative(root, project.dist));
  }
  for (const folder of RUNTIME_FOLDERS) copy(folder);
  return copied;
}
