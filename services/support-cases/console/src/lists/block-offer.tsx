// The offer a flag labelled fraud makes on the case page: put the payee it paid on the block list,
// so the monitor stops the next payment to it from any account. Supervisors accept it; agents see
// that a supervisor can (support-cases refuses their changes to the lists).
import type { MonitorFlag } from '@wallet-guard/contracts';
import { useState } from 'react';
import { useWords } from '../i18n/use-words';
import type { Session } from '../session';
import { describeFailure } from '../words';

interface Props {
  flag: MonitorFlag;
  session: Session;
  caseId: string;
}

export function BlockOffer({ flag, session, caseId }: Props) {
  const words = useWords();
  const { t } = words;
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  if (flag.label !== 'confirmed_fraud' || flag.counterparty === null) return null;
  const destination = `${flag.counterparty.kind}:${flag.counterparty.id}`;

  const accept = async () => {
    setBusy(true);
    setResult(null);
    try {
      const entry = await session.api.blockFlagDestination(caseId, flag.id);
      setResult({ ok: true, text: t('lists.offerDone', { value: entry.value, version: entry.version }) });
    } catch (error) {
      setResult({ ok: false, text: describeFailure(words, error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset className="block-offer" aria-label={t('lists.offerGroup', { value: destination })}>
      <p>{t('lists.offer', { value: destination })}</p>
      {session.agent.role === 'supervisor' ? (
        result?.ok ? null : (
          <button type="button" className="danger" disabled={busy} onClick={() => void accept()}>
            {t('lists.offerAccept')}
          </button>
        )
      ) : (
        <p className="muted">{t('lists.offerSupervisorOnly')}</p>
      )}
      <p className={`result ${result?.ok === false ? 'error' : 'ok'}`} role="status">
        {result?.text}
      </p>
    </fieldset>
  );
}
