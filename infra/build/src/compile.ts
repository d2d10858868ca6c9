// Compiles every service and package to plain ESM JavaScript that `node` runs without tsx.
//
// One output file per source file, in <project>/dist mirroring <project>/src (tsc's layout), rather
// than one bundle per service: pnpm gives each project its own node_modules, so a compiled file
// only finds its npm dependencies (pg, argon2, kafkajs, ...) from where its source sits. The same
// mirroring keeps every `new URL('../x', import.meta.url)` pointing where it did (the monitor's
// rules/ folder, the console's dist/), keeps `isEntryPoint(import.meta.url)` true for the started
// file only, and loads each module once even when the standalone process imports all services.
//
// esbuild transpiles; the plugin below turns every import into an external one with a specifier
// node can load: `./app` -> `./app.js`, `@wallet-guard/db` -> `../../../packages/db/dist/index.js`.
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { build, type Plugin } from 'esbuild';

/** A workspace project whose src/ is compiled to dist/. */
export interface Project {
  /** Absolute directory, e.g. /repo/services/auth. */
  dir: string;
  src: string;
  dist: string;
}

export interface CompileResult {
  projects: Project[];
  /** Compiled .js files written. */
  files: number;
  /** Other files of src/ copied beside them (workers, word lists, templates). */
  assets: number;
}

/** Folders whose projects are compiled. packages/testing holds test harnesses only: never shipped. */
const PROJECT_PARENTS = ['packages', 'services'];
const NOT_SHIPPED_PROJECTS = new Set(['packages/testing']);

const isTypeScript = (file: string) => /\.(ts|tsx|mts)$/.test(file) && !file.endsWith('.d.ts');
/** Tests and test harnesses (`src/testing/`) stay out of the production output. */
const isTestOnly = (path: string) => /\.test\.[cm]?[jt]sx?$/.test(path) || path.split(sep).includes('testing');

/** Every project under packages/ and services/ with a src/ folder, except those named in `skip` ("services/x"). */
export function workspaceProjects(root: string, skip: readonly string[] = []): Project[] {
  return PROJECT_PARENTS.flatMap((parent) =>
    readdirSync(join(root, parent))
      .filter((name) => !NOT_SHIPPED_PROJECTS.has(`${parent}/${name}`) && !skip.includes(`${parent}/${name}`))
      .map((name) => join(root, parent, name))
      .filter((dir) => existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src')))
      .map((dir) => ({ dir, src: join(dir, 'src'), dist: join(dir, 'dist') })),
  );
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Where a source file of a project ends up; undefined for files outside every project's src/. */
function outputOf(projects: readonly Project[], source: string): string | undefined {
  const project = projects.find((p) => source.startsWith(p.src + sep));
  if (!project) return undefined;
  const out = join(project.dist, relative(project.src, source));
  return isTypeScript(out) ? out.replace(/\.[cm]?tsx?$/, '.js') : out;
}

function specifier(fromFile: string, toFile: string): string {
  const path = relative(dirname(fromFile), toFile).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

const BUILTINS = new Set(builtinModules);

/** Rewrites every import to an external specifier node resolves from the output file's place. */
function externalImports(projects: readonly Project[], compiled: ReadonlySet<string>): Plugin {
  return {
    name: 'wallet-guard-external-imports',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === 'entry-point' || args.pluginData === 'default') return undefined;
        if (args.path.startsWith('node:') || BUILTINS.has(args.path)) return { path: args.path, external: true };
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: 'default',
        });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        // An npm package: node finds it in the importing project's node_modules, next to dist/.
        if (resolved.path.split(sep).includes('node_modules')) return { path: args.path, external: true };
        // JSON is small and static: inlined into the importing file.
        if (resolved.path.endsWith('.json')) return undefined;
        const target = outputOf(projects, resolved.path);
        const from = outputOf(projects, args.importer);
        if (!target || !from || (isTypeScript(resolved.path) && !compiled.has(resolved.path))) {
          return {
            errors: [
              {
                text: `${relative(process.cwd(), args.importer)} imports ${args.path} (${resolved.path}), which is not part of the production build (a test harness, or outside src/)`,
              },
            ],
          };
        }
        return { path: specifier(from, target), external: true };
      });
    },
  };
}

/**
 * Compiles every project's src/ into a fresh dist/ (the old one is removed first) and copies
 * src/'s other files beside the output. Throws with esbuild's messages when a file does not
 * compile or a production file imports a test-only one; never leaves a partial dist/ unnoticed
 * (a failed run throws). `skip` leaves projects out ("services/x"), e.g. one being rewritten.
 */
export async function compileWorkspace(root: string, skip: readonly string[] = []): Promise<CompileResult> {
  const projects = workspaceProjects(root, skip);
  const sources = projects.flatMap((p) => filesUnder(p.src).filter((f) => !isTestOnly(relative(p.src, f))));
  const typescript = sources.filter(isTypeScript);
  const assets = sources.filter((f) => !isTypeScript(f));
  for (const project of projects) rmSync(project.dist, { recursive: true, force: true });

  await build({
    absWorkingDir: root,
    entryPoints: typescript.map((file) => ({
      in: file,
      out: relative(root, outputOf(projects, file) as string).replace(/\.js$/, ''),
    })),
    outdir: root,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    // One module per file and nothing minified: stack traces read like the sources.
    logLevel: 'warning',
    plugins: [externalImports(projects, new Set(typescript))],
  });
  for (const asset of assets) cpSync(asset, outputOf(projects, asset) as string);
  return { projects, files: typescript.length, assets: assets.length };
}
