import type { MacroView, RenderedMacroView } from '@wallet-guard/contracts';
import { useEffect, useRef, useState } from 'react';
import { useWords } from '../i18n/use-words';
import type { Session } from '../session';
import { describeFailure } from '../words';

interface Props {
  session: Session;
  caseId: string;
}

/**
 * The reply box's macro picker: the agent chooses a saved reply, the service writes it out for
 * this case (its customer's language, placeholders filled in), and it lands in the note's text
 * and visibility for the agent to edit before sending. The macro's id rides along in the form
 * (`macroId`), so sending applies the macro's status through the case's state machine. A reset of
 * the form (after sending) forgets the macro.
 */
export function MacroPicker({ session, caseId }: Props) {
  const words = useWords();
  const { t } = words;
  const [macros, setMacros] = useState<MacroView[] | null>(null);
  const [chosen, setChosen] = useState<RenderedMacroView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const anchor = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    session.api
      .listMacros(controller.signal)
      .then((answer) => setMacros(answer.items))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setProblem(describeFailure(words, error));
      });
    return () => controller.abort();
    // The list is read once per case page; `words` only formats a failure.
  }, [session.api]);

  useEffect(() => {
    const form = anchor.current?.closest('form');
    if (!form) return;
    const forget = () => setChosen(null);
    form.addEventListener('reset', forget);
    return () => form.removeEventListener('reset', forget);
  }, []);

  const insert = async (macroId: string) => {
    const form = anchor.current?.closest('form');
    if (!macroId || !form) return;
    setBusy(true);
    setProblem(null);
    try {
      const rendered = await session.api.renderMacro(caseId, macroId);
      const text = form.elements.namedItem('body');
      if (text instanceof HTMLTextAreaElement) {
        text.value = rendered.text;
        text.focus();
      }
      const visibility = form.querySelector<HTMLInputElement>(
        `input[name="visibility"][value="${rendered.visibility}"]`,
      );
      if (visibility) visibility.checked = true;
      setChosen(rendered);
    } catch (error) {
      setProblem(describeFailure(words, error));
    } finally {
      setBusy(false);
    }
  };

  if (macros !== null && macros.length === 0) return null;
  return (
    <div className="macro-picker" ref={anchor}>
      <label>
        {t('macros.pick')}
        <select
          value=""
          disabled={busy || macros === null}
          onChange={(event) => void insert(event.currentTarget.value)}
        >
          <option value="">{macros === null ? t('macros.loading') : t('macros.choose')}</option>
          {(macros ?? []).map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <input type="hidden" name="macroId" value={chosen?.macroId ?? ''} />
      {chosen ? (
        <p className="muted" role="status">
          {t('macros.inserted', { language: t(`macros.languages.${chosen.locale}`) })}
          {chosen.fellBack ? ` ${t('macros.fellBack')}` : ''}
          {chosen.setStatus ? ` ${t('macros.setsStatus', { status: t(`status.${chosen.setStatus}`) })}` : ''}{' '}
          <button type="button" className="secondary" onClick={() => setChosen(null)}>
            {t('macros.forget')}
          </button>
        </p>
      ) : null}
      {problem ? (
        <p className="result error" role="alert">
          {t('macros.failed', { failure: problem })}
        </p>
      ) : null}
    </div>
  );
}
