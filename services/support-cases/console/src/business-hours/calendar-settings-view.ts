// The answers of support-cases' /v1/sla/calendars routes (services/support-cases/src/sla/routes.ts),
// checked like every other answer the console receives. Field for field the route's `settingsView`.
import { CASE_PRIORITIES } from '@wallet-guard/contracts';
import { z } from 'zod';

/** The weekdays in the order the API and the page list them (ISO 8601: Monday first). */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The built-in 24/7 calendar a priority may name instead of one of the calendars. */
export const ALWAYS = 'always';

/** "HH:MM" on a 24-hour clock, "24:00" the end of the day (the route's `localTime`). */
export const LOCAL_TIME_PATTERN = '(?:[01]\\d|2[0-3]):[0-5]\\d|24:00';
/** A calendar's name as the route takes it: lowercase, digits, "-" and "_", a letter first. */
export const CALENDAR_NAME_PATTERN = '[a-z][a-z0-9_\\-]{0,39}';

const hoursRange = z.object({ start: z.string(), end: z.string() });
const weeklyHours = z.object(
  Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(hoursRange)])) as Record<Weekday, z.ZodArray<typeof hoursRange>>,
);
const businessCalendar = z.object({
  /** IANA time-zone name. */
  timeZone: z.string(),
  weeklyHours,
  /** Local dates (YYYY-MM-DD) on which no SLA time counts. */
  holidays: z.array(z.string()),
});

export const calendarSettingsView = z.object({
  version: z.number().int().positive(),
  changedAt: z.iso.datetime(),
  /** "system" (the configured defaults) or "agent:<name>". */
  changedBy: z.string(),
  note: z.string().nullable(),
  calendars: z.record(z.string(), businessCalendar),
  /** Per priority, the name of one of `calendars` or "always". */
  priorities: z.object(
    Object.fromEntries(CASE_PRIORITIES.map((p) => [p, z.string()])) as Record<
      (typeof CASE_PRIORITIES)[number],
      z.ZodString
    >,
  ),
});
export type CalendarSettingsView = z.infer<typeof calendarSettingsView>;
export type BusinessCalendarView = z.infer<typeof businessCalendar>;

export const calendarVersionList = z.object({ versions: z.array(calendarSettingsView) });

/** What `PUT /v1/sla/calendars` takes: the settings edited from `expectedVersion`, and why. */
export interface CalendarSettingsChange {
  expectedVersion: number;
  calendars: Record<string, BusinessCalendarView>;
  priorities: CalendarSettingsView['priorities'];
  note?: string;
}
