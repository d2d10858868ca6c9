// One version of the calendar settings, read-only: which calendar each priority counts in, then
// each calendar's time zone, weekly hours and holidays.
import { CASE_PRIORITIES } from '@wallet-guard/contracts';
import { useWords } from '../i18n/use-words';
import { ALWAYS, type CalendarSettingsView, WEEKDAYS } from './calendar-settings-view';

/** "business" as it is named, "always" as the 24/7 calendar in words. */
export function useCalendarName(): (name: string) => string {
  const { t } = useWords();
  return (name) => (name === ALWAYS ? t('businessHours.always') : name);
}

export function SettingsSummary({ settings, idPrefix }: { settings: CalendarSettingsView; idPrefix: string }) {
  const { t } = useWords();
  const calendarName = useCalendarName();
  const calendars = Object.entries(settings.calendars);
  return (
    <div className="calendar-summary">
      <table className="report-table" aria-labelledby={`${idPrefix}-priorities`}>
        <caption id={`${idPrefix}-priorities`}>{t('businessHours.prioritiesTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('queue.column.priority')}</th>
            <th scope="col">{t('businessHours.calendar')}</th>
          </tr>
        </thead>
        <tbody>
          {CASE_PRIORITIES.map((p) => (
            <tr key={p}>
              <th scope="row">{t(`priority.${p}`)}</th>
              <td>{calendarName(settings.priorities[p])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {calendars.length === 0 && <p className="muted">{t('businessHours.noCalendars')}</p>}
      {calendars.map(([name, calendar]) => (
        <section key={name} aria-labelledby={`${idPrefix}-calendar-${name}`} className="calendar-card">
          <h3 id={`${idPrefix}-calendar-${name}`}>{t('businessHours.calendarNamed', { name })}</h3>
          <p>{t('businessHours.timeZoneIs', { timeZone: calendar.timeZone })}</p>
          <table className="report-table" aria-label={t('businessHours.weeklyHoursOf', { name })}>
            <tbody>
              {WEEKDAYS.map((d) => (
                <tr key={d}>
                  <th scope="row">{t(`businessHours.weekday.${d}`)}</th>
                  <td>
                    {calendar.weeklyHours[d].length === 0
                      ? t('businessHours.closed')
                      : calendar.weeklyHours[d].map((r) => `${r.start}–${r.end}`).join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            {calendar.holidays.length === 0
              ? t('businessHours.noHolidays')
              : t('businessHours.holidaysAre', { dates: calendar.holidays.join(', ') })}
          </p>
        </section>
      ))}
    </div>
  );
}
