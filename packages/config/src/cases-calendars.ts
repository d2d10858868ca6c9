import { z } from 'zod';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
type Weekday = (typeof WEEKDAYS)[number];
const SHORT: Record<string, number> = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 };

/**
 * The business calendar support-cases starts with (saved as version 1 of its calendar settings on
 * first use; supervisors change it through the API afterwards). Same shape as the service's
 * `CalendarSettings`.
 */
export interface SlaCalendarDefaults {
  calendars: Record<
    string,
    {
      timeZone: string;
      weeklyHours: Record<Weekday, { start: string; end: string }[]>;
      holidays: string[];
    }
  >;
  priorities: Record<'P1' | 'P2' | 'P3' | 'P4', string>;
}

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** An IANA zone name the runtime's time-zone database knows ("Europe/London", "UTC"). */
export const timeZone = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine(
      (v) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: v });
          return true;
        } catch {
          return false;
        }
      },
      { message: 'must be an IANA time-zone name such as Europe/London or UTC' },
    );

/**
 * "mon-fri=09:00-17:00;sat=10:00-14:00": weekdays (a day or a span mon..sun) and their local
 * [start, end) ranges, several per day separated by commas ("mon=09:00-12:00,13:00-17:00"). Days
 * not named are closed; ranges must not be inverted nor overlap, and some day must have hours.
 */
export const weeklyHours = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx): Record<Weekday, { start: string; end: string }[]> => {
      const week = Object.fromEntries(WEEKDAYS.map((d) => [d, [] as { start: string; end: string }[]])) as Record<
        Weekday,
        { start: string; end: string }[]
      >;
      const fail = (message: string) => {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      };
      for (const group of v.split(';').filter((g) => g.trim() !== '')) {
        const [days, ranges] = group.trim().split('=');
        const [first, last] = (days ?? '').split('-');
        const from = SHORT[first ?? ''];
        const to = last === undefined ? from : SHORT[last];
        if (from === undefined || to === undefined || to < from || !ranges) {
          return fail('must look like mon-fri=09:00-17:00;sat=10:00-14:00');
        }
        for (const range of ranges.split(',')) {
          const [start, end] = range.trim().split('-');
          if (!start || !end || !TIME.test(start) || !TIME.test(end))
            return fail('times must be HH:MM (00:00 to 24:00)');
          if (minutes(end) <= minutes(start)) return fail(`${range.trim()} ends before it starts`);
          for (let d = from; d <= to; d++) week[WEEKDAYS[d] as Weekday].push({ start, end });
        }
      }
      for (const day of WEEKDAYS) {
        const sorted = week[day].sort((a, b) => minutes(a.start) - minutes(b.start));
        for (let i = 1; i < sorted.length; i++) {
          if (minutes(sorted[i]?.start ?? '') < minutes(sorted[i - 1]?.end ?? '')) {
            return fail(`${day} has overlapping ranges`);
          }
        }
      }
      if (WEEKDAYS.every((d) => week[d].length === 0)) return fail('must give hours on at least one day');
      return week;
    });

/** "2026-12-25,2027-01-01": local dates on which the business calendar counts nothing. */
export const holidays = z
  .string()
  .default('')
  .transform((v, ctx) => {
    const dates = v
      .split(',')
      .map((d) => d.trim())
      .filter((d) => d !== '');
    for (const d of dates) {
      const ms = Date.parse(`${d}T00:00:00Z`);
      // Round trip: "2026-02-30" parses in some engines, as 2 March.
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== d) {
        ctx.addIssue({ code: 'custom', message: 'must be comma-separated dates YYYY-MM-DD' });
        return z.NEVER;
      }
    }
    return dates;
  });

/** "P1=always,P2=business,P3=business,P4=business": per priority, 24/7 or the business calendar. */
export const priorityCalendars = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx): SlaCalendarDefaults['priorities'] => {
      const table: Partial<SlaCalendarDefaults['priorities']> = {};
      for (const part of v.split(',')) {
        const [priority, name] = part.trim().split('=');
        if (
          !priority ||
          !['P1', 'P2', 'P3', 'P4'].includes(priority) ||
          !name ||
          !['always', 'business'].includes(name)
        ) {
          ctx.addIssue({ code: 'custom', message: 'must look like P1=always,P2=business,P3=business,P4=business' });
          return z.NEVER;
        }
        table[priority as keyof SlaCalendarDefaults['priorities']] = name;
      }
      if (Object.keys(table).length !== 4) {
        ctx.addIssue({ code: 'custom', message: 'must give all four priorities P1 to P4' });
        return z.NEVER;
      }
      return table as SlaCalendarDefaults['priorities'];
    });
