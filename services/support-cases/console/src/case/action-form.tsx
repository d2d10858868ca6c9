import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiError } from '../api';
import { errorWords } from '../words';

/** "Another agent holds this case. (CASE_ALREADY_CLAIMED: held by bo)": words first, then the code. */
export function describeFailure(error: unknown): string {
  if (!(error instanceof ApiError)) return `${errorWords('CONSOLE_UNEXPECTED_ANSWER')} (CONSOLE_UNEXPECTED_ANSWER)`;
  const details = (error.details ?? {}) as { assignee?: unknown; code?: unknown; service?: unknown };
  const extra =
    typeof details.assignee === 'string'
      ? `: held by ${details.assignee}`
      : typeof details.code === 'string'
        ? `: ${String(details.service ?? 'the other service')} answered ${details.code}`
        : Array.isArray(error.details)
          ? `: ${(error.details as { path?: string; message?: string }[]).map((d) => `${d.path ?? ''} ${d.message ?? ''}`.trim()).join('; ')}`
          : '';
  return `${errorWords(error.code)} (${error.code}${extra})`;
}

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
      onResult({ ok: false, text: `${title}: ${describeFailure(error)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="action" aria-label={title} onSubmit={submit}>
      <h3>{title}</h3>
      {children}
      <button type="submit" className={tone} disabled={busy}>
        {busy ? 'Working…' : submitLabel}
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
