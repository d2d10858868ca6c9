// The documents operators edit and services reload without a restart (the monitor's rules file,
// auth's risk policy): read the same way, so both name the file and each problem's path.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';

/** A policy document as read: the validated value and the sha256 of its bytes (unchanged bytes: no reload). */
export interface PolicyDocument<T> {
  value: T;
  digest: string;
}

/**
 * Reads `path` (YAML, of which JSON is a subset) and validates it with `schema`. An unreadable file,
 * a YAML error or a value the schema refuses throws `invalid(problems)`: one line per problem, each
 * naming its path in the document (`rules.velocity.windows: ...`) or `(root)`.
 */
export function readPolicyDocument<S extends z.ZodType>(
  path: string,
  schema: S,
  invalid: (problems: string[]) => Error,
): PolicyDocument<z.infer<S>> {
  let text: string;
  let document: unknown;
  try {
    text = readFileSync(path, 'utf8');
    document = parseYaml(text);
  } catch (error) {
    throw invalid([(error as Error).message.split('\n')[0] ?? 'unreadable']);
  }
  const result = schema.safeParse(document);
  if (!result.success) throw invalid(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  return { value: result.data, digest: createHash('sha256').update(text).digest('hex') };
}
