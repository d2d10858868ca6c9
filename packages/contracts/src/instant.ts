import { z } from 'zod';

/**
 * The instants every contract accepts: from 1970-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z,
 * after applying the offset (itself at most ±15:59). Both ends are what every layer holds exactly: a JS `Date`, Postgres
 * `timestamptz` (whose text input refuses year 0000 and the six-digit years `toISOString` writes
 * beyond 9999), and the four-digit ISO 8601 text our responses carry back. A Go backend's unset
 * `time.Time` (0001-01-01T00:00:00Z) is refused here, naming the field, instead of failing in a
 * query or being dead-lettered after an "accepted".
 */
export const INSTANT_RANGE = {
  min: '1970-01-01T00:00:00.000Z',
  max: '9999-12-31T23:59:59.999Z',
} as const;
const MIN_MS = Date.parse(INSTANT_RANGE.min);
const MAX_MS = Date.parse(INSTANT_RANGE.max);

/** Whether epoch milliseconds lie in `INSTANT_RANGE` (what `isoDateTime` accepts). */
export const isInstantInRange = (ms: number): boolean => Number.isFinite(ms) && ms >= MIN_MS && ms <= MAX_MS;

/** Postgres refuses a UTC offset beyond 15:59 in timestamptz text (no real zone comes near it). */
const OFFSET_TOO_FAR = /[+-](1[6-9]|2\d):\d\d$/;

/**
 * Nanoseconds, the finest any wallet's clock writes (Go's RFC3339Nano, Java's Instant). Beyond
 * nine digits V8's `Date.parse` misreads the fraction (2026-11-20T12:00:00.0003000001Z parses as
 * 12:00:00.003, .069009800310 as .690): every service would hold an instant up to a second off.
 */
const MAX_FRACTION_DIGITS = 9;
const FRACTION_TOO_FINE = /\.\d{10,}/;

/**
 * ISO 8601 instant with an offset, e.g. 2026-11-23T10:00:00.000Z, within `INSTANT_RANGE`, with
 * at most nine fractional digits.
 * `formatMinimum`/`formatMaximum` carry the range into the JSON Schemas (and so into the
 * OpenAPI documents and the fuzz suites that generate from them).
 */
export const isoDateTime = z.iso
  .datetime({ offset: true })
  .refine((v) => !FRACTION_TOO_FINE.test(v), {
    message: `must have at most ${MAX_FRACTION_DIGITS} fractional digits of seconds (nanoseconds)`,
    when: (payload) => payload.issues.length === 0,
  })
  .refine((v) => isInstantInRange(Date.parse(v)) && !OFFSET_TOO_FAR.test(v), {
    message: `must be between ${INSTANT_RANGE.min} and ${INSTANT_RANGE.max}, with an offset within ±15:59`,
    // zod runs refinements even after the format failed; the format's message is enough then.
    when: (payload) => payload.issues.length === 0,
  })
  .meta({ formatMinimum: INSTANT_RANGE.min, formatMaximum: INSTANT_RANGE.max });

/**
 * The earliest microsecond (what Postgres `timestamptz` keeps) at or after an instant
 * `isoDateTime` accepted, as UTC text Postgres reads exactly: "created at or after `since`" is
 * `created_at >= microsecondCeiling(since)` with no rounding either way. Digits below the
 * microsecond round up (a JS Date would cut them, and Postgres would round them half-up: both
 * let in a row from before `since`). Past the last microsecond of 9999 it is `infinity`, which
 * no stored instant reaches. Never throws for a value `isoDateTime` accepted.
 */
export function microsecondCeiling(instant: string): string {
  const ms = Date.parse(instant); // cuts to the millisecond, after applying the offset
  const below = /\.\d{3}(\d*)/.exec(instant)?.[1] ?? '';
  let micros = Number(below.slice(0, 3).padEnd(3, '0'));
  if (/[1-9]/.test(below.slice(3))) micros += 1;
  const whole = ms + Math.floor(micros / 1000);
  if (whole > MAX_MS) return 'infinity';
  return `${new Date(whole).toISOString().slice(0, -1)}${String(micros % 1000).padStart(3, '0')}Z`;
}
