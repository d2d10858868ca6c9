// Why support-cases refused a calendar change, in the agent's words: the 422 CASE_CALENDAR_* codes
// of services/support-cases/src/sla/calendar-settings.ts (their `details` name the calendar, day
// and hours) and the 409 of a version saved meanwhile. Anything else as every refusal is worded.
import { ApiError } from '../api';
import type { Words } from '../i18n/use-words';
import { describeFailure } from '../words';
import { WEEKDAYS } from './calendar-settings-view';

interface Range {
  start: string;
  end: string;
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const range = (v: unknown): Range => {
  const r = (v ?? {}) as Partial<Record<keyof Range, unknown>>;
  return { start: text(r.start), end: text(r.end) };
};

/** The problem in words, then its code: "On Wednesday, 17:00–09:00 ends before it starts. (CASE_…)". */
export function calendarRefusalWords(words: Words, error: unknown): string {
  const { t } = words;
  if (!(error instanceof ApiError)) return describeFailure(words, error);
  const details = (error.details ?? {}) as Record<string, unknown>;
  const calendar = text(details.calendar);
  const weekday = WEEKDAYS.find((d) => d === details.weekday);
  const day = weekday ? t(`businessHours.weekday.${weekday}`) : text(details.weekday);
  let sentence: string | null = null;
  switch (error.code) {
    case 'CASE_CALENDAR_INVALID_TIME_ZONE':
      sentence = t('businessHours.problem.invalidTimeZone', { calendar, timeZone: text(details.timeZone) });
      break;
    case 'CASE_CALENDAR_INVERTED_RANGE': {
      const { start, end } = range(details.range);
      sentence = t('businessHours.problem.invertedRange', { calendar, day, start, end });
      break;
    }
    case 'CASE_CALENDAR_OVERLAPPING_RANGES': {
      const [first, second] = Array.isArray(details.ranges) ? details.ranges.map(range) : [];
      sentence = t('businessHours.problem.overlappingRanges', {
        calendar,
        day,
        first: first ? `${first.start}–${first.end}` : '',
        second: second ? `${second.start}–${second.end}` : '',
      });
      break;
    }
    case 'CASE_CALENDAR_EMPTY_WEEK':
      sentence = t('businessHours.problem.emptyWeek', { calendar });
      break;
    case 'CASE_CALENDAR_RESERVED_NAME':
      sentence = t('businessHours.problem.reservedName', { calendar });
      break;
    case 'CASE_CALENDAR_UNKNOWN':
      sentence = t('businessHours.problem.unknownCalendar', { calendar, priority: text(details.priority) });
      break;
    case 'CASE_CALENDAR_VERSION_CONFLICT':
      sentence = t('businessHours.problem.versionConflict', {
        expected: String(details.expectedVersion ?? ''),
        current: String(details.currentVersion ?? ''),
      });
      break;
  }
  return sentence ? t('failure.withCode', { words: sentence, code: error.code }) : describeFailure(words, error);
}
