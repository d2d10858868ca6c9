import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** A deployable program and the file `node` starts in production. */
export interface ServiceEntry {
  /** The folder name under services/. */
  name: string;
  /** Absolute path of the TypeScript entry (what `tsx` runs in development). */
  source: string;
  /** Absolute path of the compiled entry (what `node` runs in production). */
  compiled: string;
}

/**
 * Every service under services/: `src/server.ts` for a single service, `src/main.ts` for the
 * standalone process. A new service is picked up by existing, nothing to register.
 */
export function serviceEntries(root: string): ServiceEntry[] {
  return readdirSync(join(root, 'services'))
    .sort()
    .flatMap((name) => {
      const dir = join(root, 'services', name);
      const file = ['server', 'main'].find((base) => existsSync(join(dir, 'src', `${base}.ts`)));
      if (!file) return [];
      return [{ name, source: join(dir, 'src', `${file}.ts`), compiled: join(dir, 'dist', `${file}.js`) }];
    });
}
