import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(`${root}/README.md`, 'utf8');

describe('README', () => {
  it('documents every environment variable the config schemas read', () => {
    const dir = `${root}/packages/config/src`;
    const variables = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      for (const match of readFileSync(`${dir}/${file}`, 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]{2,}):\s/gm)) {
        variables.add(match[1] as string);
      }
    }
    expect(variables.size).toBeGreaterThan(60);
    const missing = [...variables].filter((v) => !readme.includes(`\`${v}\``));
    expect(missing).toEqual([]);
  });

  it('gives exactly the two set-up commands and shows two console screenshots that exist', () => {
    expect(readme).toContain('npm start   # 1.');
    expect(readme).toContain('npm test    # 2.');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+\.png)\)/g)].map((m) => m[1] as string);
    expect(images.length).toBeGreaterThanOrEqual(2);
    for (const image of images) expect(() => readFileSync(`${root}/${image}`)).not.toThrow();
  });
});
