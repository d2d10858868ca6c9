// Business-hours arithmetic for SLA deadlines: which instants a calendar counts, how far a number
// of counted minutes reaches, how many counted minutes lie between two instants. Pure: no I/O, no
// clock. Local times are resolved with the IANA time-zone database that Node's Intl carries
// (ECMA-402 `Intl.DateTimeFormat` with `timeZone`), so daylight-saving changes are real-time exact.

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local wall-clock times "HH:MM" (24-hour); `end` may be "24:00" (the end of the day). */
export interface HoursRange {
  start: string;
  end: string;
}

/**
 * Hours in one time zone: per weekday zero or more half-open `[start, end)` local ranges, and
 * holidays (local dates "YYYY-MM-DD", ISO 8601) on which nothing counts.
 */
export interface BusinessCalendar {
  /** An IANA time-zone name ("Europe/London", "America/New_York", "UTC"). */
  timeZone: string;
  weeklyHours: Record<Weekday, readonly HoursRange[]>;
  holidays: readonly string[];
}

/** The reserved calendar name of 24/7: every instant counts (what every SLA was before calendars). */
export const ALWAYS = 'always' as const;
export type SlaCalendar = typeof ALWAYS | BusinessCalendar;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far ahead a calendar is walked before giving up (a calendar whose holidays cover every working day). */
const HORIZON_DAYS = 3_660;

/** "09:30" -> 570; "24:00" -> 1440. */
export const minuteOfDay = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Is `timeZone` a zone name this runtime's time-zone database knows? Never throws. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localTime(ms: number, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** The zone's offset from UTC at instant `ms`, in milliseconds (east positive). */
function offsetAt(ms: number, timeZone: string): number {
  const t = localTime(ms, timeZone);
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant of a local date and minute of the day. A local time that happens twice (the hour
 * clocks go back) is its first occurrence; one that never happens (the hour the clocks skip) is
 * the instant the clocks jump, the first whose local time is past it: hours "from 02:30" on the
 * night New York skips 02:00-03:00 start at 03:00.
 */
function zonedInstant(civilDayMs: number, minutes: number, timeZone: string): number {
  const wall = civilDayMs + minutes * MINUTE_MS;
  const o1 = offsetAt(wall, timeZone);
  const o2 = offsetAt(wall - o1, timeZone);
  if (o1 === o2) return wall - o1;
  const o3 = offsetAt(wall - o2, timeZone);
  if (o2 === o3) return wall - o2;
  // In the gap: before the jump the earlier offset applies, after it the later one.
  let before = wall - Math.max(o2, o3);
  let after = wall - Math.min(o2, o3);
  const offsetBefore = offsetAt(before, timeZone);
  while (after - before > 1000) {
    const mid = before + Math.floor((after - before) / 2000) * 1000;
    if (offsetAt(mid, timeZone) === offsetBefore) before = mid;
    else after = mid;
  }
  return after;
}

/** Monday = 0 ... Sunday = 6 of a civil day (midnight UTC of that date). */
const weekdayOf = (civilDayMs: number): Weekday => WEEKDAYS[(new Date(civilDayMs).getUTCDay() + 6) % 7] as Weekday;

const isoDate = (civilDayMs: number) => new Date(civilDayMs).toISOString().slice(0, 10);

/** The calendar's counted intervals `[start, end)` in real time, in order, from `fromMs` on. */
function* countedIntervals(calendar: BusinessCalendar, fromMs: number): Generator<[number, number]> {
  const local = localTime(fromMs, calendar.timeZone);
  const firstDay = Date.UTC(local.year, local.month - 1, local.day);
  const holidays = new Set(calendar.holidays);
  // In order of their start, however they were listed (they never overlap: see calendarProblem).
  const week = new Map(
    WEEKDAYS.map((d) => [
      d,
      [...calendar.weeklyHours[d]]
        .map((r) => [minuteOfDay(r.start), minuteOfDay(r.end)] as const)
        .sort((a, b) => a[0] - b[0]),
    ]),
  );
  // From the day before: a range of the previous local day may still be running at `fromMs`
  // when the clocks went back.
  for (let day = firstDay - DAY_MS; day < firstDay + HORIZON_DAYS * DAY_MS; day += DAY_MS) {
    if (holidays.has(isoDate(day))) continue;
    for (const [startMinute, endMinute] of week.get(weekdayOf(day)) ?? []) {
      const start = zonedInstant(day, startMinute, calendar.timeZone);
      const end = zonedInstant(day, endMinute, calendar.timeZone);
      if (end <= fromMs || end <= start) continue;
      yield [Math.max(start, fromMs), end];
    }
  }
  throw new RangeError(`the calendar counts no time within ${HORIZON_DAYS} days`);
}

/**
 * The instant at which `ms` milliseconds of calendar time have passed since `start`. A deadline
 * that uses up a range exactly falls on that range's end, not on the next opening. Throws a
 * RangeError only for a calendar that counts nothing for ten years (every working day a holiday).
 */
export function addBusinessMs(calendar: SlaCalendar, start: Date, ms: number): Date {
  if (calendar === ALWAYS) return new Date(start.getTime() + ms);
  let remaining = Math.max(0, ms);
  if (remaining === 0) return new Date(start.getTime());
  for (const [from, to] of countedIntervals(calendar, start.getTime())) {
    if (to - from >= remaining) return new Date(from + remaining);
    remaining -= to - from;
  }
  throw new RangeError('the calendar counts no time');
}

/** Milliseconds of calendar time in `[a, b)`; 0 when `b` is not after `a`. Never throws for b - a below ten years. */
export function businessMsBetween(calendar: SlaCalendar, a: Date, b: Date): number {
  const from = a.getTime();
  const until = b.getTime();
  if (until <= from) return 0;
  if (calendar === ALWAYS) return until - from;
  let total = 0;
  for (const [start, end] of countedIntervals(calendar, from)) {
    if (start >= until) break;
    total += Math.min(end, until) - start;
  }
  return total;
}

/** `addBusinessMs` in minutes (fractions allowed): the deadline `minutes` of calendar time after `start`. */
export const addBusinessMinutes = (calendar: SlaCalendar, start: Date, minutes: number): Date =>
  addBusinessMs(calendar, start, minutes * MINUTE_MS);

/** `businessMsBetween` in minutes (fractional): how much calendar time lies in `[a, b)`. */
export const businessMinutesBetween = (calendar: SlaCalendar, a: Date, b: Date): number =>
  businessMsBetween(calendar, a, b) / MINUTE_MS;
