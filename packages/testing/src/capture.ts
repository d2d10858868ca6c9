import { appendFileSync } from 'node:fs';
import { TEST_LOG_FILE } from './services';

/**
 * The run's capture of everything services under test write, beside the log file itself (see
 * `TEST_LOG_FILE`): output of services started as processes (fault tests, the demo, `npm start`),
 * and the exact secrets the tests created, which the teardown looks for in every captured line.
 * All of it is a no-op when the run does not capture (`TEST_LOG_CAPTURE=off`).
 */

/** Where the secrets the tests created are noted, one per line (next to the log capture). */
export const TEST_SECRETS_FILE = TEST_LOG_FILE ? `${TEST_LOG_FILE}.secrets` : undefined;

/** Values that can be a secret the tests handed over or got back: random-looking, not a date or id. */
const SECRET_SHAPE = /^[A-Za-z0-9_.~+/=-]{10,}$/;
const NOT_SECRET = [
  /^\d{4}-\d\d-\d\d/, // dates and timestamps
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, // ids
  /^(CASE|TXM|AUTH)[-_]/, // case numbers, error codes
];
/** Keys whose values are secrets in requests and answers (passwords, tokens, codes, keys). */
const SECRET_KEY = /pass(word|phrase)?|token|secret|recovery|api[-_]?key|otpauth/i;

// A value of a few repeated characters ('x' x 2000, a padding test's password) is no secret, and
// it stands inside any long run of the same character some other test legitimately logs.
const MIN_DISTINCT_CHARACTERS = 6;
const isSecretLike = (value: string) =>
  SECRET_SHAPE.test(value) && new Set(value).size >= MIN_DISTINCT_CHARACTERS && !NOT_SECRET.some((p) => p.test(value));

/** Notes secrets the tests created; the teardown fails the run when a captured log line holds one. */
function noteSecrets(...values: readonly (string | undefined | null)[]): void {
  if (!TEST_SECRETS_FILE) return;
  const kept = values.filter((v): v is string => typeof v === 'string' && isSecretLike(v));
  if (kept.length > 0) appendFileSync(TEST_SECRETS_FILE, `${kept.join('\n')}\n`);
}

/**
 * Notes every secret in a request or answer body (parsed JSON or its text): string values, or
 * lists of them, under secret-named keys at any depth. Never throws.
 */
export function noteSecretsIn(body: unknown): void {
  if (!TEST_SECRETS_FILE) return;
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return;
    }
  }
  const found: string[] = [];
  const walk = (node: unknown, depth: number) => {
    if (depth > 8 || node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
      if (SECRET_KEY.test(key)) {
        if (typeof child === 'string') found.push(child);
        else if (Array.isArray(child)) for (const item of child) if (typeof item === 'string') found.push(item);
      }
      walk(child, depth + 1);
    }
  };
  walk(value, 0);
  noteSecrets(...found);
}

/**
 * Appends output of a service run as a process to the capture. `logLinesOnly` keeps the JSON log
 * lines and leaves out what a command prints for the person who ran it (the demo's report hands
 * out an agent token on purpose).
 */
export function captureOutput(lines: string | readonly string[], options: { logLinesOnly?: boolean } = {}): void {
  if (!TEST_LOG_FILE) return;
  const text = (typeof lines === 'string' ? lines.split('\n') : lines)
    .filter((l) => l.trim() !== '' && (!options.logLinesOnly || l.trimStart().startsWith('{')))
    .join('\n');
  if (text !== '') appendFileSync(TEST_LOG_FILE, `${text}\n`);
}
