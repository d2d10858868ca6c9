import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const biome = join(root, 'node_modules/.bin/biome');

/** Lints one throw-away file placed in `folder` with the project's rules. */
function lintAt(folder: string, source: string) {
  const file = join(root, folder, `zz-dependency-probe-${process.pid}.ts`);
  writeFileSync(file, source);
  try {
    const result = spawnSync(biome, ['lint', file], { cwd: root, encoding: 'utf8' });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(file, { force: true });
  }
}

describe('dependency direction (checked by the linter in CI)', () => {
  it.each([
    ['packages/messaging/src', "import { authApp } from '@wallet-guard/auth/app';\n\nexport const probe = authApp;\n"],
    ['packages/http/src', "import { x } from '../../../services/support-cases/src/app';\n\nexport const probe = x;\n"],
    [
      'packages/db/src',
      "import { createEventBus } from '@wallet-guard/messaging';\n\nexport const probe = createEventBus;\n",
    ],
  ])('fails when %s imports a service or a higher package', (folder, source) => {
    const result = lintAt(folder, source);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('noRestrictedImports');
  });

  it('passes when a service imports packages', () => {
    const result = lintAt(
      'services/auth/src',
      "import { serviceKit } from '@wallet-guard/http';\n\nexport const probe = serviceKit;\n",
    );
    expect(result.output).not.toContain('noRestrictedImports');
    expect(result.status).toBe(0);
  });
});
