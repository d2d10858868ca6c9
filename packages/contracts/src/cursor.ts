import type { z } from 'zod';
import { isoDateTime } from './instant';

// Keyset filters and cursors meet Postgres at the microsecond: the ceiling helper lives with the instants.
export { microsecondCeiling } from './instant';

/**
 * Opaque pagination cursors: base64url of a JSON value that a zod schema checks on the way back
 * in. A cursor decodes only to values every layer holds (a calendar date in `INSTANT_RANGE`, a
 * real uuid, text without U+0000 or a lone surrogate), so a forged or damaged one is a 400 naming
 * `cursor`, never a query Postgres refuses.
 */
export interface CursorCodec<T> {
  encode(value: T): string;
  /** The value, or undefined for anything this codec did not issue. Never throws. */
  decode(raw: string): T | undefined;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text Postgres cannot store: U+0000 (refused in text and jsonb) or a lone UTF-16 surrogate (refused in jsonb). */
export const isUnstorableText = (text: string): boolean => text.includes('\u0000') || LONE_SURROGATE.test(text);

/** Whether a decoded cursor holds text Postgres refuses. */
function holdsUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return isUnstorableText(value);
  if (Array.isArray(value)) return value.some(holdsUnstorableText);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([key, child]) => holdsUnstorableText(key) || holdsUnstorableText(child));
  }
  return false;
}

export function cursorCodec<S extends z.ZodType>(schema: S): CursorCodec<z.output<S>> {
  return {
    encode: (value) => Buffer.from(JSON.stringify(value)).toString('base64url'),
    decode(raw) {
      if (!/^[A-Za-z0-9_-]*$/.test(raw)) return undefined;
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
      } catch {
        return undefined;
      }
      if (holdsUnstorableText(json)) return undefined;
      const parsed = schema.safeParse(json);
      return parsed.success ? parsed.data : undefined;
    },
  };
}

/**
 * An instant as a cursor carries it: UTC, with up to the microseconds Postgres keeps (a JS Date
 * would drop them, and the cursor must name the exact row), e.g. 2026-11-23T10:00:00.123456Z.
 */
export const cursorInstant = isoDateTime.regex(/T\d\d:\d\d:\d\d(\.\d{1,6})?Z$/, {
  message: 'must be UTC with at most six fractional digits',
});
