import { useEffect, useMemo, useState } from 'react';
import { CasesApi } from './api';
import { CasePage } from './case/case-page';
import { QueuePage } from './queue/queue-page';
import { forgetToken, type Session, storedToken } from './session';
import { SignIn } from './sign-in';

/** "#/cases/<id>" is a case page; anything else is the queue. */
function useRoute(): { caseId: string | null } {
  const read = () => /^#\/cases\/([0-9a-f-]{36})$/i.exec(window.location.hash)?.[1] ?? null;
  const [caseId, setCaseId] = useState(read);
  useEffect(() => {
    const onChange = () => setCaseId(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return { caseId };
}

export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  const [restoring, setRestoring] = useState(() => storedToken() !== null);
  const { caseId } = useRoute();

  // A reload keeps the tab's token: check it is still good before showing anything.
  useEffect(() => {
    const token = storedToken();
    if (!token) return;
    const api = new CasesApi(token);
    api
      .me()
      .then((agent) => setSession({ api, agent }))
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

  if (restoring) return <p className="loading">Checking your session…</p>;
  if (!session) {
    return (
      <SignIn
        notice={ended}
        onSignedIn={(s) => {
          setEnded(null);
          setSession(s);
        }}
      />
    );
  }

  return (
    <>
      <header className="top-bar">
        <a className="brand" href="#/">
          wallet-guard support
        </a>
        <nav aria-label="Main">
          <a href="#/">Queue</a>
        </nav>
        <p className="who">
          Signed in as <strong>{session.agent.name}</strong> <span className="role">{session.agent.role}</span>
        </p>
        <button type="button" className="secondary" onClick={() => signOut(null)}>
          Sign out
        </button>
      </header>
      <main>
        {caseId ? (
          <CasePage key={caseId} caseId={caseId} session={session} onUnauthenticated={signOut} />
        ) : (
          <QueuePage session={session} onUnauthenticated={signOut} />
        )}
      </main>
    </>
  );
}
