// Finds secrets in captured log lines: what the suite's global teardown runs over every line
// every service under test wrote. It names the kind of secret and the line, never the secret.
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface SecretFinding {
  /** 1-based line number in the scanned file. */
  line: number;
  kind: string;
}

/** Keys whose values are secrets; a logged value under one must read "[redacted]". */
const SECRET_KEY =
  /pass(word|phrase)?|secret|token|authorization|cookie|api[-_]?key|pepper|private[-_]?key|recovery|otpauth/i;
/** Keys of second-factor codes: a 6-digit value under one is a TOTP code. */
const CODE_KEY = /(code|otp|totp)$/i;

/** Patterns that are secrets wherever they appear, by kind. */
const PATTERNS: readonly [kind: string, pattern: RegExp][] = [
  ['JWT', /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/],
  // auth's opaque tokens: refresh, reset, unlock, freeze, mfa (prefix + 32 random bytes base64url).
  ['opaque token (rt_/rs_/ul_/fz_/mf_)', /(?<![A-Za-z0-9])(rt|rs|ul|fz|mf)_[A-Za-z0-9_-]{40,}/],
  ['development API key', /dev-(wallet|internal)-key/],
  ['API key (wg_)', /(?<![A-Za-z0-9])wg_[A-Za-z0-9_-]{40,}/],
  ['otpauth URI', /otpauth:\/\//i],
  // 160-bit TOTP secrets in base32: 32 characters of A-Z and 2-7.
  ['TOTP secret (base32)', /(?<![A-Za-z0-9_])[A-Z2-7]{32}(?![A-Za-z0-9_])/],
  // Recovery codes, `xxxxx-xxxxx` in Crockford's base32.
  ['recovery code', /(?<![A-Za-z0-9-])[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}(?![A-Za-z0-9-])/i],
  ['private key (PEM)', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['private key (JWK "d")', /"d"\s*:\s*"[A-Za-z0-9_-]{32,}"/],
];

/** `"key":"value"` pairs of a JSON log line (values as written, still escaped). */
const STRING_ENTRY = /"((?:[^"\\]|\\.)*)"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

/**
 * The start-up warning that no API keys are configured names the development keys on purpose
 * (README command 1); they are public, and this line is the one place they may appear.
 */
const DEV_KEYS_WARNING =
  /NO API KEYS CONFIGURED - the development keys \\?"dev-wallet-key\\?" and \\?"dev-internal-key\\?" are accepted\./;

/** The kinds of secret in one log line (empty when clean). */
export function secretsIn(line: string): string[] {
  const kinds = new Set<string>();
  for (const [kind, pattern] of PATTERNS) if (pattern.test(line)) kinds.add(kind);
  if (DEV_KEYS_WARNING.test(line) && !/dev-(wallet|internal)-key/.test(line.replace(DEV_KEYS_WARNING, ''))) {
    kinds.delete('development API key');
  }
  for (const [, key = '', value = ''] of line.matchAll(STRING_ENTRY)) {
    if (value === '' || value === '[redacted]') continue;
    if (SECRET_KEY.test(key)) kinds.add(`unredacted value under "${key}"`);
    else if (CODE_KEY.test(key) && /^\d{6}$/.test(value)) kinds.add(`6-digit code under "${key}"`);
  }
  return [...kinds];
}

/** The secrets the tests noted (`noteSecrets` in @wallet-guard/testing), one per line; none when the file is missing. */
export async function readSecrets(path: string): Promise<Set<string>> {
  const secrets = new Set<string>();
  if (!existsSync(path)) return secrets;
  const reader = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const text of reader) if (text.length >= KNOWN_PREFIX) secrets.add(text);
  return secrets;
}

const KNOWN_PREFIX = 8;

/**
 * Finds any of `secrets` (exact values the tests created) in a line, wherever it starts after a
 * character that is not a letter or digit: the secret under any key, in a message, in a URL.
 */
function knownSecretMatcher(secrets: ReadonlySet<string>): (line: string) => boolean {
  const byPrefix = new Map<string, string[]>();
  for (const secret of secrets) {
    const prefix = secret.slice(0, KNOWN_PREFIX);
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), secret]);
  }
  return (line) => {
    if (byPrefix.size === 0) return false;
    for (let i = 0; i + KNOWN_PREFIX <= line.length; i++) {
      if (i > 0 && /[A-Za-z0-9]/.test(line[i - 1] as string)) continue;
      const candidates = byPrefix.get(line.slice(i, i + KNOWN_PREFIX));
      if (candidates?.some((secret) => line.startsWith(secret, i))) return true;
    }
    return false;
  };
}

/**
 * Every secret in a log file, line by line (streamed: the capture of a whole run can be large):
 * secret-shaped text (`secretsIn`) and, given `known`, any of the exact secrets the tests created.
 */
export async function scanLogFile(
  path: string,
  known: ReadonlySet<string> = new Set(),
): Promise<{ lines: number; findings: SecretFinding[] }> {
  const findings: SecretFinding[] = [];
  const holdsKnown = knownSecretMatcher(known);
  let lines = 0;
  const reader = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const text of reader) {
    lines += 1;
    for (const kind of secretsIn(text)) findings.push({ line: lines, kind });
    if (holdsKnown(text)) findings.push({ line: lines, kind: 'a password, token or code the tests created' });
  }
  return { lines, findings };
}

/** A report naming where and what, never the secret itself. */
export function describeFindings(path: string, findings: readonly SecretFinding[], limit = 40): string {
  const shown = findings.slice(0, limit).map((f) => `  ${path}:${f.line}: ${f.kind}`);
  const more = findings.length > limit ? [`  ... and ${findings.length - limit} more`] : [];
  return [`${findings.length} secret(s) in the captured service logs:`, ...shown, ...more].join('\n');
}
