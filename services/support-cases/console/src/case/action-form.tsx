import { type FormEvent, type ReactNode, useState } from 'react';
import { useWords } from '../i18n/use-words';
import { describeFailure } from '../words';

interface Props {
  title: string;
  submitLabel: string;
  /** Does the action; resolves to the sentence that tells the agent it worked. */
  run: (form: FormData) => Promise<string>;
  /** After success: reload the case. */
  onDone: () => void;
  /**
   * Where the outcome is shown. The panel shows it, not the form: a form may vanish once its
   * action succeeded (resolving swaps every action for "reopen").
   */
  onResult: (result: Outcome | null) => void;
  children?: ReactNode;
  tone?: 'danger';
}

export interface Outcome {
  ok: boolean;
  text: string;
}

/** One action as a form: Enter submits, required fields are enforced, the outcome is reported. */
export function ActionForm({ title, submitLabel, run, onDone, onResult, children, tone }: Props) {
  const [busy, setBusy] = useState(false);
  const words = useWords();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    onResult(null);
    try {
      const text = await run(new FormData(form));
      form.reset();
      onResult({ ok: true, text });
      onDone();
    } catch (error) {
      onResult({
        ok: false,
        text: words.t('actions.failed', { action: title, failure: describeFailure(words, error) }),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="action" aria-label={title} onSubmit={submit}>
      <h3>{title}</h3>
      {children}
      <button type="submit" className={tone} disabled={busy}>
        {busy ? words.t('actions.working') : submitLabel}
      </button>
    </form>
  );
}

export function ActionResult({ result }: { result: Outcome | null }) {
  return (
    <p className={`result ${result ? (result.ok ? 'ok' : 'error') : ''}`} role="status">
      {result ? `${result.ok ? '✓' : '✗'} ${result.text}` : ''}
    </p>
  );
}

/** A form field's text (the forms mark their fields required, so it is present). */
export const field = (form: FormData, name: string) => String(form.get(name) ?? '').trim();
