import { type FormEvent, useState } from 'react';
import { Trans } from 'react-i18next';
import { ApiError, CasesApi } from './api';
import { useWords } from './i18n/use-words';
import { type Session, storeToken } from './session';
import { describeFailure } from './words';

interface Props {
  notice: string | null;
  onSignedIn: (session: Session) => void;
}

/** The agent pastes the token their identity provider (in development: `pnpm agent-token`) issued. */
export function SignIn({ notice, onSignedIn }: Props) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const words = useWords();
  const { t } = words;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const api = new CasesApi(token.trim());
    try {
      const agent = await api.me();
      storeToken(token.trim());
      onSignedIn({ api, agent });
    } catch (e) {
      const failure = e instanceof ApiError ? e : new ApiError(0, 'CONSOLE_OFFLINE', String(e));
      setError(failure.code === 'CASE_FORBIDDEN' ? t('signIn.noRole') : describeFailure(words, failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <h1>{t('signIn.title')}</h1>
      <form onSubmit={submit}>
        {notice && <p className="notice">{notice}</p>}
        <label htmlFor="token">{t('signIn.token')}</label>
        <textarea
          id="token"
          name="token"
          required
          rows={4}
          spellCheck={false}
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
        />
        <p className="hint">
          <Trans i18nKey="signIn.hint" components={{ code: <code /> }} />
        </p>
        <button type="submit" disabled={busy}>
          {busy ? t('signIn.busy') : t('signIn.submit')}
        </button>
        {error && (
          <p className="result error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
