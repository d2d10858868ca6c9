import { readFileSync } from 'node:fs';

let cached: ReadonlySet<string> | undefined;

/**
 * The 49,233 most common passwords, lower-cased NFKC, shipped with the service
 * (`common-passwords.txt`, taken once from @zxcvbn-ts/language-common's ranked list).
 */
export function commonPasswords(): ReadonlySet<string> {
  cached ??= new Set(
    readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line.length > 0),
  );
  return cached;
}
