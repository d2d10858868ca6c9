// The supervisors' business hours (#/business-hours): the calendar settings in force (who saved
// them, when, why), the form that saves the next version, and every earlier version. Cases keep
// the version they opened with; new cases count their SLA deadlines in the current one.
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api';
import { useWords } from '../i18n/use-words';
import type { Session } from '../session';
import { actorWords, describeFailure } from '../words';
import { CalendarForm } from './calendar-form';
import type { CalendarSettingsView } from './calendar-settings-view';
import { SettingsSummary } from './settings-summary';

interface Props {
  session: Session;
  onUnauthenticated: (reason: string) => void;
}

export function BusinessHoursPage({ session, onUnauthenticated }: Props) {
  const words = useWords();
  const { t, format } = words;
  const [current, setCurrent] = useState<CalendarSettingsView | null>(null);
  const [versions, setVersions] = useState<CalendarSettingsView[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState<number | null>(null);

  const load = useCallback(async () => {
    setFailure(null);
    try {
      const [settings, history] = await Promise.all([session.api.calendarSettings(), session.api.calendarVersions()]);
      setCurrent(settings);
      setVersions(history.versions);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'CASE_UNAUTHENTICATED') onUnauthenticated(t('app.sessionEnded'));
      else setFailure(t('businessHours.loadFailed', { failure: describeFailure(words, error) }));
    }
  }, [session, onUnauthenticated, t, words]);

  useEffect(() => {
    void load();
  }, []);

  const onSaved = (settings: CalendarSettingsView) => {
    setCurrent(settings);
    setSaved(settings.version);
    void load();
  };

  return (
    <section aria-labelledby="business-hours-title" className="business-hours">
      <div className="page-head">
        <h1 id="business-hours-title">{t('businessHours.title')}</h1>
        <p className="muted">{t('businessHours.subtitle')}</p>
      </div>
      {failure && (
        <p className="result error" role="alert">
          {failure}
        </p>
      )}
      <p className="result ok" role="status">
        {saved !== null && t('businessHours.saved', { version: saved })}
      </p>
      {!current ? (
        !failure && <p className="loading">{t('businessHours.loading')}</p>
      ) : (
        <>
          <section aria-labelledby="calendar-current-title" className="calendar-current">
            <h2 id="calendar-current-title">{t('businessHours.currentVersion', { version: current.version })}</h2>
            <p>
              {t('businessHours.savedBy', {
                who: actorWords(words, current.changedBy),
                at: format.instant(current.changedAt),
              })}
            </p>
            <p>{current.note ?? <span className="muted">{t('businessHours.noNote')}</span>}</p>
            <SettingsSummary settings={current} idPrefix="current" />
          </section>
          <CalendarForm
            key={current.version}
            session={session}
            settings={current}
            onSaved={onSaved}
            onReload={() => {
              setSaved(null);
              void load();
            }}
            onUnauthenticated={onUnauthenticated}
          />
          <section aria-labelledby="calendar-history-title" className="calendar-history">
            <h2 id="calendar-history-title">{t('businessHours.history')}</h2>
            <ol className="version-list">
              {versions.map((v) => (
                <li key={v.version}>
                  <details>
                    <summary>
                      {t('businessHours.versionLine', {
                        version: v.version,
                        who: actorWords(words, v.changedBy),
                        at: format.instant(v.changedAt),
                      })}
                      {v.note && <> · {v.note}</>}
                    </summary>
                    <SettingsSummary settings={v} idPrefix={`version-${v.version}`} />
                  </details>
                </li>
              ))}
            </ol>
          </section>
        </>
      )}
    </section>
  );
}
