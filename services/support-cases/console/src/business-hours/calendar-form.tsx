// The supervisors' edit form: every calendar's time zone, hours per weekday and holidays, which
// calendar each priority counts in, and why. Saved as the next version with `expectedVersion`;
// what the server refuses comes back in words next to the save button.
import { CASE_PRIORITIES } from '@wallet-guard/contracts';
import { type FormEvent, useMemo, useState } from 'react';
import { ApiError } from '../api';
import { useWords } from '../i18n/use-words';
import type { Session } from '../session';
import { type CalendarDraft, changeOf, draftOf, newCalendar, nextId, type SettingsDraft } from './calendar-draft';
import { calendarRefusalWords } from './calendar-problems';
import {
  ALWAYS,
  CALENDAR_NAME_PATTERN,
  type CalendarSettingsView,
  LOCAL_TIME_PATTERN,
  WEEKDAYS,
  type Weekday,
} from './calendar-settings-view';
import { useCalendarName } from './settings-summary';

interface Props {
  session: Session;
  /** The version the form edits (the page remounts the form when it changes). */
  settings: CalendarSettingsView;
  onSaved: (saved: CalendarSettingsView) => void;
  /** Reads the settings in force again (after a 409: someone saved meanwhile). */
  onReload: () => void;
  onUnauthenticated: (reason: string) => void;
}

/** IANA names the browser knows, offered while typing (the server has the last word). */
const timeZones = (): string[] => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
};

export function CalendarForm({ session, settings, onSaved, onReload, onUnauthenticated }: Props) {
  const words = useWords();
  const { t } = words;
  const calendarName = useCalendarName();
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOf(settings));
  const [failure, setFailure] = useState<{ text: string; conflict: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [newName, setNewName] = useState('');
  const [nameProblem, setNameProblem] = useState<string | null>(null);
  const zones = useMemo(timeZones, []);

  const updateCalendar = (id: number, change: (c: CalendarDraft) => CalendarDraft) =>
    setDraft((d) => ({ ...d, calendars: d.calendars.map((c) => (c.id === id ? change(c) : c)) }));
  const updateDay = (
    id: number,
    day: Weekday,
    change: (ranges: CalendarDraft['weeklyHours'][Weekday]) => CalendarDraft['weeklyHours'][Weekday],
  ) => updateCalendar(id, (c) => ({ ...c, weeklyHours: { ...c.weeklyHours, [day]: change(c.weeklyHours[day]) } }));

  const addCalendar = () => {
    const name = newName.trim();
    if (!new RegExp(`^${CALENDAR_NAME_PATTERN}$`).test(name) || name === ALWAYS) {
      setNameProblem(t('businessHours.edit.badName'));
      return;
    }
    if (draft.calendars.some((c) => c.name === name)) {
      setNameProblem(t('businessHours.edit.nameTaken', { name }));
      return;
    }
    const zone = draft.calendars[0]?.timeZone ?? 'UTC';
    setDraft((d) => ({ ...d, calendars: [...d.calendars, newCalendar(name, zone)] }));
    setNewName('');
    setNameProblem(null);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      onSaved(await session.api.saveCalendarSettings(changeOf(draft)));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'CASE_UNAUTHENTICATED') onUnauthenticated(t('app.sessionEnded'));
      else
        setFailure({
          text: calendarRefusalWords(words, error),
          conflict: error instanceof ApiError && error.code === 'CASE_CALENDAR_VERSION_CONFLICT',
        });
    } finally {
      setBusy(false);
    }
  };

  const names = draft.calendars.map((c) => c.name);
  return (
    <form className="calendar-form" aria-labelledby="calendar-edit-title" onSubmit={submit}>
      <h2 id="calendar-edit-title">{t('businessHours.edit.title')}</h2>
      <p className="muted">{t('businessHours.edit.intro', { version: draft.baseVersion })}</p>
      <datalist id="calendar-time-zones">
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>

      {draft.calendars.map((c) => (
        <fieldset key={c.id} className="calendar-card">
          <legend>{t('businessHours.calendarNamed', { name: c.name })}</legend>
          <label>
            {t('businessHours.edit.timeZone')}
            <input
              list="calendar-time-zones"
              required
              maxLength={64}
              autoComplete="off"
              value={c.timeZone}
              onChange={(e) => {
                const timeZone = e.currentTarget.value;
                updateCalendar(c.id, (x) => ({ ...x, timeZone }));
              }}
            />
          </label>
          <p className="hint" id={`time-hint-${c.id}`}>
            {t('businessHours.edit.timeHint')}
          </p>
          <div className="weekday-grid">
            {WEEKDAYS.map((day) => (
              <fieldset key={day} className="weekday">
                <legend>{t(`businessHours.weekday.${day}`)}</legend>
                {c.weeklyHours[day].length === 0 && <p className="muted">{t('businessHours.closed')}</p>}
                {c.weeklyHours[day].map((r, i) => (
                  <div key={r.id} className="hours-range">
                    <label>
                      {t('businessHours.edit.opens')}
                      <input
                        required
                        inputMode="numeric"
                        pattern={LOCAL_TIME_PATTERN}
                        placeholder="09:00"
                        aria-describedby={`time-hint-${c.id}`}
                        value={r.start}
                        onChange={(e) => {
                          const start = e.currentTarget.value;
                          updateDay(c.id, day, (rs) => rs.map((x) => (x.id === r.id ? { ...x, start } : x)));
                        }}
                      />
                    </label>
                    <label>
                      {t('businessHours.edit.closes')}
                      <input
                        required
                        inputMode="numeric"
                        pattern={LOCAL_TIME_PATTERN}
                        placeholder="17:00"
                        aria-describedby={`time-hint-${c.id}`}
                        value={r.end}
                        onChange={(e) => {
                          const end = e.currentTarget.value;
                          updateDay(c.id, day, (rs) => rs.map((x) => (x.id === r.id ? { ...x, end } : x)));
                        }}
                      />
                    </label>
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => updateDay(c.id, day, (rs) => rs.filter((x) => x.id !== r.id))}
                    >
                      {t('businessHours.edit.removeRange', { day: t(`businessHours.weekday.${day}`), n: i + 1 })}
                    </button>
                  </div>
                ))}
                <button
                  type="button"
                  className="secondary"
                  onClick={() => updateDay(c.id, day, (rs) => [...rs, { id: nextId(), start: '', end: '' }])}
                >
                  {t('businessHours.edit.addRange', { day: t(`businessHours.weekday.${day}`) })}
                </button>
              </fieldset>
            ))}
          </div>
          <fieldset className="holidays">
            <legend>{t('businessHours.edit.holidays')}</legend>
            {c.holidays.map((h, i) => (
              <div key={h.id} className="hours-range">
                <label>
                  {t('businessHours.edit.holiday', { n: i + 1 })}
                  <input
                    type="date"
                    required
                    value={h.date}
                    onChange={(e) => {
                      const date = e.currentTarget.value;
                      updateCalendar(c.id, (x) => ({
                        ...x,
                        holidays: x.holidays.map((y) => (y.id === h.id ? { ...y, date } : y)),
                      }));
                    }}
                  />
                </label>
                <button
                  type="button"
                  className="secondary"
                  onClick={() =>
                    updateCalendar(c.id, (x) => ({ ...x, holidays: x.holidays.filter((y) => y.id !== h.id) }))
                  }
                >
                  {t('businessHours.edit.removeHoliday', { n: i + 1 })}
                </button>
              </div>
            ))}
            <button
              type="button"
              className="secondary"
              onClick={() =>
                updateCalendar(c.id, (x) => ({ ...x, holidays: [...x.holidays, { id: nextId(), date: '' }] }))
              }
            >
              {t('businessHours.edit.addHoliday')}
            </button>
          </fieldset>
          <button
            type="button"
            className="secondary"
            onClick={() => setDraft((d) => ({ ...d, calendars: d.calendars.filter((x) => x.id !== c.id) }))}
          >
            {t('businessHours.edit.removeCalendar', { name: c.name })}
          </button>
        </fieldset>
      ))}

      <fieldset className="calendar-card">
        <legend>{t('businessHours.edit.addCalendar')}</legend>
        <label>
          {t('businessHours.edit.newName')}
          <input
            value={newName}
            maxLength={40}
            autoComplete="off"
            aria-describedby="new-calendar-hint"
            onChange={(e) => setNewName(e.currentTarget.value)}
          />
        </label>
        <p className="hint" id="new-calendar-hint">
          {t('businessHours.edit.nameHint')}
        </p>
        <button type="button" className="secondary" onClick={addCalendar}>
          {t('businessHours.edit.addCalendar')}
        </button>
        {nameProblem && (
          <p className="result error" role="alert">
            {nameProblem}
          </p>
        )}
      </fieldset>

      <fieldset className="calendar-card priorities">
        <legend>{t('businessHours.prioritiesTitle')}</legend>
        {CASE_PRIORITIES.map((p) => (
          <label key={p}>
            {t(`priority.${p}`)}
            <select
              value={draft.priorities[p]}
              onChange={(e) => {
                const name = e.currentTarget.value;
                setDraft((d) => ({ ...d, priorities: { ...d.priorities, [p]: name } }));
              }}
            >
              {[ALWAYS, ...names, ...(names.includes(draft.priorities[p]) ? [] : [draft.priorities[p]])]
                .filter((n, i, all) => all.indexOf(n) === i)
                .map((n) => (
                  <option key={n} value={n}>
                    {calendarName(n)}
                  </option>
                ))}
            </select>
          </label>
        ))}
      </fieldset>

      <label>
        {t('businessHours.edit.note')}
        <textarea
          rows={2}
          maxLength={500}
          value={draft.note}
          onChange={(e) => {
            const note = e.currentTarget.value;
            setDraft((d) => ({ ...d, note }));
          }}
        />
      </label>
      <button type="submit" disabled={busy}>
        {t('businessHours.edit.save', { version: draft.baseVersion + 1 })}
      </button>
      {failure && (
        <div className="result error" role="alert">
          <p>{failure.text}</p>
          {failure.conflict && (
            <button type="button" className="secondary" onClick={onReload}>
              {t('businessHours.edit.reload')}
            </button>
          )}
        </div>
      )}
    </form>
  );
}
