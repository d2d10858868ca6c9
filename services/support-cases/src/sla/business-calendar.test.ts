import { describe, expect, it } from 'vitest';
import { deadlines, endPause } from '../cases/case-rules';
import {
  ALWAYS,
  addBusinessMinutes,
  type BusinessCalendar,
  businessMinutesBetween,
  type HoursRange,
  WEEKDAYS,
} from './business-calendar';
import { calendarProblem } from './calendar-settings';

const nineToFive: HoursRange[] = [{ start: '09:00', end: '17:00' }];
/** Monday to Friday 09:00-17:00 local time, in `timeZone`. */
const officeHours = (timeZone: string, holidays: string[] = []): BusinessCalendar => ({
  timeZone,
  weeklyHours: {
    monday: nineToFive,
    tuesday: nineToFive,
    wednesday: nineToFive,
    thursday: nineToFive,
    friday: nineToFive,
    saturday: [],
    sunday: [],
  },
  holidays,
});
const at = (iso: string) => new Date(iso);
const HOUR = 60;

describe('business-hours arithmetic', () => {
  const london = officeHours('Europe/London');

  it('counts only the hours of working days: a Friday-afternoon deadline lands on Monday', () => {
    // 2026-11-27 is a Friday; London is on GMT (UTC+0) in November.
    expect(addBusinessMinutes(london, at('2026-11-27T16:00:00Z'), 4 * HOUR)).toEqual(at('2026-11-30T12:00:00Z'));
    // Opened on Saturday: the clock starts on Monday at 09:00.
    expect(addBusinessMinutes(london, at('2026-11-28T11:00:00Z'), 30)).toEqual(at('2026-11-30T09:30:00Z'));
    // A deadline that uses up the day falls on its end, not on the next morning.
    expect(addBusinessMinutes(london, at('2026-11-30T09:00:00Z'), 8 * HOUR)).toEqual(at('2026-11-30T17:00:00Z'));
    expect(businessMinutesBetween(london, at('2026-11-27T16:00:00Z'), at('2026-11-30T12:00:00Z'))).toBe(4 * HOUR);
    expect(businessMinutesBetween(london, at('2026-11-28T00:00:00Z'), at('2026-11-30T00:00:00Z'))).toBe(0);
    expect(businessMinutesBetween(london, at('2026-11-30T12:00:00Z'), at('2026-11-30T10:00:00Z'))).toBe(0);
  });

  it('skips holidays (local dates), and several ranges on one day', () => {
    const christmas = officeHours('Europe/London', ['2026-12-25', '2026-12-28']);
    // Thursday 24 Dec 16:00 + 2 h: 1 h on Thursday, Friday 25th and Monday 28th are holidays.
    expect(addBusinessMinutes(christmas, at('2026-12-24T16:00:00Z'), 2 * HOUR)).toEqual(at('2026-12-29T10:00:00Z'));
    const lunchBreak: BusinessCalendar = {
      ...london,
      weeklyHours: {
        ...london.weeklyHours,
        monday: [
          { start: '13:00', end: '17:00' },
          { start: '09:00', end: '12:00' },
        ],
      },
    };
    expect(addBusinessMinutes(lunchBreak, at('2026-11-30T11:00:00Z'), 2 * HOUR)).toEqual(at('2026-11-30T14:00:00Z'));
    expect(businessMinutesBetween(lunchBreak, at('2026-11-30T00:00:00Z'), at('2026-12-01T00:00:00Z'))).toBe(7 * HOUR);
  });

  it('resolves local hours in the zone: New York office hours across the change to daylight time (2026-03-08)', () => {
    const newYork = officeHours('America/New_York');
    // Friday 6 March 16:00 EST (21:00Z) + 4 h: 1 h on Friday, 3 h on Monday 9 March from 09:00 EDT
    // (13:00Z), so 12:00 EDT = 16:00Z: 67 h of real time, not the 68 h a fixed offset would give.
    const due = addBusinessMinutes(newYork, at('2026-03-06T21:00:00Z'), 4 * HOUR);
    expect(due).toEqual(at('2026-03-09T16:00:00Z'));
    expect(due.getTime() - at('2026-03-06T21:00:00Z').getTime()).toBe(67 * 3_600_000);
    expect(businessMinutesBetween(newYork, at('2026-03-06T21:00:00Z'), due)).toBe(4 * HOUR);
  });

  it('London leaves summer time on 2026-10-25: Monday 09:00 is 09:00Z, not 08:00Z', () => {
    // Friday 23 October 16:00 BST (15:00Z) + 2 h: 1 h on Friday, then Monday 26th 09:00 GMT.
    expect(addBusinessMinutes(london, at('2026-10-23T15:00:00Z'), 2 * HOUR)).toEqual(at('2026-10-26T10:00:00Z'));
  });

  it('counts a 24-hour day as the real hours it has: 23 on the spring change, 25 on the autumn one', () => {
    const allDay: HoursRange[] = [{ start: '00:00', end: '24:00' }];
    const everyDay: BusinessCalendar = {
      timeZone: 'America/New_York',
      weeklyHours: Object.fromEntries(WEEKDAYS.map((d) => [d, allDay])) as unknown as BusinessCalendar['weeklyHours'],
      holidays: [],
    };
    // Local midnight to midnight: 2026-03-08 has 23 hours, 2026-11-01 has 25.
    expect(businessMinutesBetween(everyDay, at('2026-03-08T05:00:00Z'), at('2026-03-09T04:00:00Z'))).toBe(23 * HOUR);
    expect(businessMinutesBetween(everyDay, at('2026-11-01T04:00:00Z'), at('2026-11-02T05:00:00Z'))).toBe(25 * HOUR);
    // Hours that begin inside the skipped hour (02:30 on 8 March) begin when the clocks jump, at 03:00 EDT.
    const skipped: BusinessCalendar = {
      ...everyDay,
      weeklyHours: { ...everyDay.weeklyHours, sunday: [{ start: '02:30', end: '04:00' }] },
    };
    expect(businessMinutesBetween(skipped, at('2026-03-08T05:00:00Z'), at('2026-03-08T09:00:00Z'))).toBe(HOUR);
  });

  it('24/7 ("always") counts every instant, as every SLA did before calendars', () => {
    expect(addBusinessMinutes(ALWAYS, at('2026-11-28T23:50:00Z'), 15)).toEqual(at('2026-11-29T00:05:00Z'));
    expect(businessMinutesBetween(ALWAYS, at('2026-11-28T00:00:00Z'), at('2026-11-29T00:00:00Z'))).toBe(24 * HOUR);
  });
});

describe('deadlines in a calendar, with pauses', () => {
  const london = officeHours('Europe/London');
  const policy = {
    firstResponseMinutes: { P1: 15, P2: 60, P3: 240, P4: 1440 },
    resolutionMinutes: { P1: 240, P2: 1440, P3: 4320, P4: 10080 },
  };
  const opened = at('2026-11-30T10:00:00Z'); // Monday 10:00 in London
  const unanswered = { slaPausedMs: 0, firstResponsePausedMs: 0, firstRespondedAt: null };

  it('a pause inside hours moves the deadline by its length', () => {
    const pauses = endPause(unanswered, at('2026-11-30T10:30:00Z'), at('2026-11-30T12:30:00Z'));
    expect(deadlines(opened, 'P3', policy, pauses, london).firstResponseDueAt).toEqual(at('2026-11-30T16:00:00Z'));
  });

  it('a pause outside hours moves nothing: that time never counted', () => {
    // Waiting from Monday 17:00 to Tuesday 09:00, then from Tuesday 16:30 to Wednesday 09:00 (30 min in hours).
    let pauses = endPause(unanswered, at('2026-11-30T17:00:00Z'), at('2026-12-01T09:00:00Z'));
    pauses = endPause(
      { ...unanswered, slaPausedMs: pauses.pausedMs, slaPauses: pauses.intervals },
      at('2026-12-01T16:30:00Z'),
      at('2026-12-02T09:00:00Z'),
    );
    // P4 first response, 24 business hours from Monday 10:00: Thursday 10:00 without pauses, 10:30 with.
    expect(deadlines(opened, 'P4', policy, undefined, london).firstResponseDueAt).toEqual(at('2026-12-03T10:00:00Z'));
    expect(deadlines(opened, 'P4', policy, pauses, london).firstResponseDueAt).toEqual(at('2026-12-03T10:30:00Z'));
  });

  it('P1 stays 24/7 and credits the whole pause, whatever the hour', () => {
    const pauses = endPause(
      { ...unanswered, firstRespondedAt: opened },
      at('2026-11-30T20:00:00Z'),
      at('2026-12-01T08:00:00Z'),
    );
    expect(deadlines(opened, 'P1', policy, pauses).resolutionDueAt).toEqual(at('2026-12-01T02:00:00Z'));
  });
});

describe('calendar validation', () => {
  const valid = {
    calendars: { office: officeHours('Europe/London') },
    priorities: { P1: 'always', P2: 'office', P3: 'office', P4: 'office' },
  };
  const withOffice = (office: Partial<BusinessCalendar>) => ({
    ...valid,
    calendars: { office: { ...officeHours('Europe/London'), ...office } },
  });
  const codeOf = (settings: Parameters<typeof calendarProblem>[0]) => calendarProblem(settings)?.code ?? null;

  it('accepts a working week and names the first problem otherwise', () => {
    expect(codeOf(valid)).toBeNull();
    expect(codeOf(withOffice({ timeZone: 'Europe/Londres' }))).toBe('CASE_CALENDAR_INVALID_TIME_ZONE');
    const week = officeHours('UTC').weeklyHours;
    expect(codeOf(withOffice({ weeklyHours: { ...week, monday: [{ start: '17:00', end: '09:00' }] } }))).toBe(
      'CASE_CALENDAR_INVERTED_RANGE',
    );
    expect(codeOf(withOffice({ weeklyHours: { ...week, monday: [{ start: '09:00', end: '09:00' }] } }))).toBe(
      'CASE_CALENDAR_INVERTED_RANGE',
    );
    const overlapping = [
      { start: '12:00', end: '17:00' },
      { start: '09:00', end: '12:30' },
    ];
    expect(codeOf(withOffice({ weeklyHours: { ...week, tuesday: overlapping } }))).toBe(
      'CASE_CALENDAR_OVERLAPPING_RANGES',
    );
    const touching = [
      { start: '12:00', end: '17:00' },
      { start: '09:00', end: '12:00' },
    ];
    expect(codeOf(withOffice({ weeklyHours: { ...week, tuesday: touching } }))).toBeNull();
    const empty = Object.fromEntries(WEEKDAYS.map((d) => [d, []])) as unknown as BusinessCalendar['weeklyHours'];
    expect(codeOf(withOffice({ weeklyHours: empty }))).toBe('CASE_CALENDAR_EMPTY_WEEK');
    expect(codeOf({ ...valid, priorities: { ...valid.priorities, P2: 'night-shift' } })).toBe('CASE_CALENDAR_UNKNOWN');
    expect(codeOf({ ...valid, calendars: { always: officeHours('UTC') } })).toBe('CASE_CALENDAR_RESERVED_NAME');
  });
});
