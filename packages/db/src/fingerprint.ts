import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A hash of every migration file's content: test tooling keys its template database on it, so
 * a changed migration gets a fresh template instead of a stale one.
 */
export function migrationsFingerprint(): string {
  const root = fileURLToPath(new URL('./migrations/', import.meta.url));
  const hash = createHash('sha256');
  const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).sort();
  for (const file of files) {
    hash.update(file);
    hash.update(readFileSync(join(root, file)));
  }
  return hash.digest('hex').slice(0, 12);
}
