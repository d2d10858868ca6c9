// The edit form's working copy of the settings: lists with stable row ids (so React keeps each
// input's focus while rows are added and removed), and the conversions to and from the API shape.
import { CASE_PRIORITIES } from '@wallet-guard/contracts';
import type { CalendarSettingsChange, CalendarSettingsView, Weekday } from './calendar-settings-view';
import { WEEKDAYS } from './calendar-settings-view';

export interface RangeDraft {
  id: number;
  start: string;
  end: string;
}
export interface HolidayDraft {
  id: number;
  date: string;
}
export interface CalendarDraft {
  id: number;
  name: string;
  timeZone: string;
  weeklyHours: Record<Weekday, RangeDraft[]>;
  holidays: HolidayDraft[];
}
export interface SettingsDraft {
  /** The version the draft was made from: the PUT's `expectedVersion`. */
  baseVersion: number;
  calendars: CalendarDraft[];
  priorities: CalendarSettingsView['priorities'];
  note: string;
}

let lastId = 0;
/** A row id unique in this tab (React keys and label ids). */
export const nextId = () => ++lastId;

export function draftOf(settings: CalendarSettingsView): SettingsDraft {
  return {
    baseVersion: settings.version,
    calendars: Object.entries(settings.calendars).map(([name, c]) => ({
      id: nextId(),
      name,
      timeZone: c.timeZone,
      weeklyHours: Object.fromEntries(
        WEEKDAYS.map((d) => [d, c.weeklyHours[d].map((r) => ({ id: nextId(), start: r.start, end: r.end }))]),
      ) as Record<Weekday, RangeDraft[]>,
      holidays: c.holidays.map((date) => ({ id: nextId(), date })),
    })),
    priorities: { ...settings.priorities },
    note: '',
  };
}

/** A new calendar: Monday to Friday 09:00-17:00 in `timeZone`, no holidays. */
export function newCalendar(name: string, timeZone: string): CalendarDraft {
  const workday = () => [{ id: nextId(), start: '09:00', end: '17:00' }];
  return {
    id: nextId(),
    name,
    timeZone,
    weeklyHours: {
      monday: workday(),
      tuesday: workday(),
      wednesday: workday(),
      thursday: workday(),
      friday: workday(),
      saturday: [],
      sunday: [],
    },
    holidays: [],
  };
}

/**
 * The PUT body. Nothing is checked here beyond what the form's fields enforce (required, "HH:MM"):
 * the server decides what can work and says why not (CASE_CALENDAR_*), in one place.
 */
export function changeOf(draft: SettingsDraft): CalendarSettingsChange {
  const note = draft.note.trim();
  return {
    expectedVersion: draft.baseVersion,
    calendars: Object.fromEntries(
      draft.calendars.map((c) => [
        c.name,
        {
          timeZone: c.timeZone.trim(),
          weeklyHours: Object.fromEntries(
            WEEKDAYS.map((d) => [d, c.weeklyHours[d].map(({ start, end }) => ({ start, end }))]),
          ) as Record<Weekday, { start: string; end: string }[]>,
          holidays: [...new Set(c.holidays.map((h) => h.date))].sort(),
        },
      ]),
    ),
    priorities: Object.fromEntries(CASE_PRIORITIES.map((p) => [p, draft.priorities[p]])) as SettingsDraft['priorities'],
    ...(note ? { note } : {}),
  };
}
