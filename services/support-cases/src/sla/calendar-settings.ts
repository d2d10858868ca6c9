// What supervisors configure: named business calendars and which one each priority's SLA counts
// in. Pure: the shape, its validation (stable problem codes) and the lookup a deadline needs.
import { CASE_PRIORITIES, type CasePriority } from '@wallet-guard/contracts';
import {
  ALWAYS,
  type BusinessCalendar,
  type HoursRange,
  isKnownTimeZone,
  minuteOfDay,
  type SlaCalendar,
  WEEKDAYS,
} from './business-calendar';

/** Named calendars, and per priority the name of one of them or "always" (24/7). */
export interface CalendarSettings {
  calendars: Record<string, BusinessCalendar>;
  priorities: Record<CasePriority, string>;
}

/** One saved version of the settings: versions only grow, and a saved one never changes. */
export interface CalendarSettingsVersion extends CalendarSettings {
  version: number;
  changedAt: Date;
  /** "system" (the configured defaults, saved on first use) or "agent:<name>" (a supervisor). */
  changedBy: string;
}

/**
 * The settings every case opened before calendars existed is computed with: every priority 24/7
 * (cases carry no version then).
 */
export const AROUND_THE_CLOCK: CalendarSettings = {
  calendars: {},
  priorities: { P1: ALWAYS, P2: ALWAYS, P3: ALWAYS, P4: ALWAYS },
};

export type CalendarProblemCode =
  | 'CASE_CALENDAR_INVALID_TIME_ZONE'
  | 'CASE_CALENDAR_INVERTED_RANGE'
  | 'CASE_CALENDAR_OVERLAPPING_RANGES'
  | 'CASE_CALENDAR_EMPTY_WEEK'
  | 'CASE_CALENDAR_RESERVED_NAME'
  | 'CASE_CALENDAR_UNKNOWN';

export interface CalendarProblem {
  code: CalendarProblemCode;
  message: string;
  details: Record<string, unknown>;
}

const sortedByStart = (ranges: readonly HoursRange[]) =>
  [...ranges].sort((a, b) => minuteOfDay(a.start) - minuteOfDay(b.start));

/**
 * The first thing wrong with settings whose syntax is valid (times "HH:MM", dates "YYYY-MM-DD"),
 * or null: a zone the time-zone database does not know, a range that ends at or before its start,
 * two ranges of one day that overlap (touching is fine), a week without any hours, a calendar
 * named "always", a priority naming a calendar that is not defined.
 */
export function calendarProblem(settings: CalendarSettings): CalendarProblem | null {
  for (const [name, calendar] of Object.entries(settings.calendars)) {
    if (name === ALWAYS) {
      return {
        code: 'CASE_CALENDAR_RESERVED_NAME',
        message: '"always" is the built-in 24/7 calendar; name yours otherwise',
        details: { calendar: name },
      };
    }
    if (!isKnownTimeZone(calendar.timeZone)) {
      return {
        code: 'CASE_CALENDAR_INVALID_TIME_ZONE',
        message: `${calendar.timeZone} is not an IANA time-zone name`,
        details: { calendar: name, timeZone: calendar.timeZone },
      };
    }
    let hours = 0;
    for (const day of WEEKDAYS) {
      const ranges = sortedByStart(calendar.weeklyHours[day]);
      for (const [i, range] of ranges.entries()) {
        if (minuteOfDay(range.end) <= minuteOfDay(range.start)) {
          return {
            code: 'CASE_CALENDAR_INVERTED_RANGE',
            message: `${name}: ${day} ${range.start}-${range.end} ends before it starts`,
            details: { calendar: name, weekday: day, range },
          };
        }
        const next = ranges[i + 1];
        if (next && minuteOfDay(next.start) < minuteOfDay(range.end)) {
          return {
            code: 'CASE_CALENDAR_OVERLAPPING_RANGES',
            message: `${name}: ${day} ${range.start}-${range.end} overlaps ${next.start}-${next.end}`,
            details: { calendar: name, weekday: day, ranges: [range, next] },
          };
        }
        hours += minuteOfDay(range.end) - minuteOfDay(range.start);
      }
    }
    if (hours === 0) {
      return {
        code: 'CASE_CALENDAR_EMPTY_WEEK',
        message: `${name} has no hours on any weekday, so its deadlines would never come`,
        details: { calendar: name },
      };
    }
  }
  for (const priority of CASE_PRIORITIES) {
    const name = settings.priorities[priority];
    if (name !== ALWAYS && !(name in settings.calendars)) {
      return {
        code: 'CASE_CALENDAR_UNKNOWN',
        message: `${priority} names ${name}, which is not among the calendars`,
        details: { priority, calendar: name },
      };
    }
  }
  return null;
}

/** The calendar a priority's SLA counts in under these settings (24/7 if the name is unknown). */
export function calendarOf(settings: CalendarSettings, priority: CasePriority): SlaCalendar {
  const name = settings.priorities[priority];
  return (name !== ALWAYS && settings.calendars[name]) || ALWAYS;
}
