import type { AgentView } from '@wallet-guard/contracts';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Trans } from 'react-i18next';
import { CasesApi } from './api';
import { BusinessHoursPage } from './business-hours/business-hours-page';
import { CasePage } from './case/case-page';
import { initialLocale } from './i18n/console-i18n';
import { LanguageSwitcher } from './i18n/language-switcher';
import { useWords } from './i18n/use-words';
import { ListsPage } from './lists/lists-page';
import { QueuePage } from './queue/queue-page';
import { ReportsPage } from './reports/reports-page';
import { RulePerformancePage } from './rule-performance/rule-performance-page';
import { forgetToken, type Session, storedToken } from './session';
import { SignIn } from './sign-in';

/**
 * "#/cases/<id>" is a case page, "#/reports" the supervisors' report, "#/business-hours" their
 * calendars; anything else is the queue.
 */
function useRoute(): { caseId: string | null; reports: boolean; businessHours: boolean } {
  const read = () => /^#\/cases\/([0-9a-f-]{36})$/i.exec(window.location.hash)?.[1] ?? null;
  const [caseId, setCaseId] = useState(read);
  const [reports, setReports] = useState(() => window.location.hash === '#/reports');
  const [businessHours, setBusinessHours] = useState(() => window.location.hash === '#/business-hours');
  useEffect(() => {
    const onChange = () => {
      setCaseId(read());
      setReports(window.location.hash === '#/reports');
      setBusinessHours(window.location.hash === '#/business-hours');
    };
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return { caseId, reports, businessHours };
}

/** Whether the location's hash is `hash` now (follows hash changes). */
function useHash(hash: string): boolean {
  const [on, setOn] = useState(() => window.location.hash === hash);
  useEffect(() => {
    const onChange = () => setOn(window.location.hash === hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, [hash]);
  return on;
}

export function App() {
  const { t, i18n } = useWords();
  const [session, setSession] = useState<Session | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  const [restoring, setRestoring] = useState(() => storedToken() !== null);
  const { caseId, reports, businessHours } = useRoute();
  const lists = useHash('#/lists');
  const rulePerformance = useHash('#/rule-performance');

  // Signed in: the language the agent chose (on the server, so in any browser), else the browser's.
  const begin = useCallback(
    (s: Session) => {
      void i18n.changeLanguage(initialLocale(s.agent.locale, navigator.languages));
      setSession(s);
    },
    [i18n],
  );

  // A reload keeps the tab's token: check it is still good before showing anything. Once, on
  // mount: `begin` is a new function after every language change, and re-running this then would
  // fetch the agent again and switch back to whatever the server held a moment before the choice.
  const beginOnce = useRef(begin);
  useEffect(() => {
    const token = storedToken();
    if (!token) return;
    const api = new CasesApi(token);
    api
      .me()
      .then((agent) => beginOnce.current({ api, agent }))
      .catch(() => forgetToken())
      .finally(() => setRestoring(false));
  }, []);

  const signOut = useMemo(
    () => (reason: string | null) => {
      forgetToken();
      setSession(null);
      setEnded(reason);
    },
    [],
  );

  const saved = useCallback((agent: AgentView) => setSession((s) => (s ? { ...s, agent } : s)), []);

  if (restoring) return <p className="loading">{t('app.checkingSession')}</p>;
  if (!session) {
    return (
      <SignIn
        notice={ended}
        onSignedIn={(s) => {
          setEnded(null);
          begin(s);
        }}
      />
    );
  }

  return (
    <>
      <header className="top-bar">
        <a className="brand" href="#/">
          {t('app.brand')}
        </a>
        <nav aria-label={t('app.mainNav')}>
          <a href="#/">{t('app.queue')}</a>
          <a href="#/lists">{t('app.lists')}</a>
          {session.agent.role === 'supervisor' && <a href="#/reports">{t('app.reports')}</a>}
          {session.agent.role === 'supervisor' && <a href="#/business-hours">{t('app.businessHours')}</a>}
          {session.agent.role === 'supervisor' && <a href="#/rule-performance">{t('app.rulePerformance')}</a>}
        </nav>
        <p className="who">
          <Trans i18nKey="app.signedInAs" values={{ name: session.agent.name }} components={{ name: <strong /> }} />{' '}
          <span className="role">{t(`role.${session.agent.role}`)}</span>
        </p>
        <LanguageSwitcher session={session} onSaved={saved} />
        <button type="button" className="secondary" onClick={() => signOut(null)}>
          {t('app.signOut')}
        </button>
      </header>
      <main>
        {caseId ? (
          <CasePage key={caseId} caseId={caseId} session={session} onUnauthenticated={signOut} />
        ) : lists ? (
          <ListsPage session={session} onUnauthenticated={signOut} />
        ) : reports && session.agent.role === 'supervisor' ? (
          <ReportsPage session={session} onUnauthenticated={signOut} />
        ) : rulePerformance && session.agent.role === 'supervisor' ? (
          <RulePerformancePage session={session} onUnauthenticated={signOut} />
        ) : businessHours && session.agent.role === 'supervisor' ? (
          <BusinessHoursPage session={session} onUnauthenticated={signOut} />
        ) : (
          <QueuePage session={session} onUnauthenticated={signOut} />
        )}
      </main>
    </>
  );
}
