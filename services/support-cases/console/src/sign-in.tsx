import { type FormEvent, useState } from 'react';
import { ApiError, CasesApi } from './api';
import { type Session, storeToken } from './session';
import { errorWords } from './words';

interface Props {
  notice: string | null;
  onSignedIn: (session: Session) => void;
}

/** The agent pastes the token their identity provider (in development: `pnpm agent-token`) issued. */
export function SignIn({ notice, onSignedIn }: Props) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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
      const code = e instanceof ApiError ? e.code : 'CONSOLE_OFFLINE';
      setError(
        code === 'CASE_FORBIDDEN' ? 'This token carries no agent or supervisor role.' : `${errorWords(code)} (${code})`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <h1>Support console</h1>
      <form onSubmit={submit}>
        {notice && <p className="notice">{notice}</p>}
        <label htmlFor="token">Agent token</label>
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
          In development: <code>pnpm agent-token --role agent --agent ada</code>. The token stays in this tab only.
        </p>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
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
