/** Keys whose values are secrets wherever they appear in a log object. */
const SECRET_KEY =
  /(pass(word|phrase)?|secret|token|authorization|cookie|api[-_]?key|otp|pepper|private[-_]?key|mfa[-_]?token|recovery)/i;
/** Keys ending in "code" are secrets (TOTP and recovery codes) unless the value is an error-code constant. */
const CODE_KEY = /code$/i;
const ERROR_CODE_VALUE = /^[A-Z][A-Z0-9_]*$|^E[A-Z]+$|^\d{5}$/;

export const REDACTED = '[redacted]';

function isSecretEntry(key: string, value: unknown): boolean {
  if (SECRET_KEY.test(key)) return true;
  if (CODE_KEY.test(key))
    return !(typeof value === 'string' && ERROR_CODE_VALUE.test(value)) && typeof value !== 'number';
  return false;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Returns a copy of `value` with every secret-looking field of its plain objects and arrays
 * replaced by "[redacted]", at any depth (bounded). Class instances (requests, errors) are
 * left to their serializers. Never throws, never mutates its input.
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === '__proto__') continue;
    out[key] =
      isSecretEntry(key, child) && child !== undefined && child !== null ? REDACTED : redactSecrets(child, depth + 1);
  }
  return out;
}

/** A URL with the values of secret-looking query parameters replaced (tokens sometimes ride there). */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  let changed = false;
  for (const key of [...params.keys()]) {
    if (isSecretEntry(key, params.get(key))) {
      params.set(key, REDACTED);
      changed = true;
    }
  }
  return changed ? `${url.slice(0, q)}?${params.toString()}` : url;
}
