import type { CaseDetailView, MonitorFlag, TransactionLabel } from '@wallet-guard/contracts';
import { useState } from 'react';
import { useWords } from '../i18n/use-words';
import { BlockOffer } from '../lists/block-offer';
import type { Session } from '../session';
import { decisionWords, describeFailure, ruleWords } from '../words';
import { ActionResult } from './action-form';

interface Props {
  session: Session;
  detail: CaseDetailView;
  onDone: () => void;
}

/** The account's flagged transactions: score, each rule's reason in words, and the agent's label. */
export function FlagsPanel({ session, detail, onDone }: Props) {
  const { t } = useWords();
  const evidence = new Set(detail.evidence.filter((e) => e.kind === 'flag').map((e) => e.ref));
  return (
    <section className="panel" aria-labelledby="flags-title">
      <h2 id="flags-title">{t('flags.title')}</h2>
      {!detail.flags.available ? (
        <p className="result error">{t('flags.monitorDown', { error: detail.flags.error })}</p>
      ) : detail.flags.data.items.length === 0 ? (
        <p className="muted">{t('flags.none')}</p>
      ) : (
        <ul className="flags">
          {detail.flags.data.items.map((flag) => (
            <FlagItem
              key={flag.id}
              flag={flag}
              linked={evidence.has(flag.id)}
              session={session}
              caseId={detail.case.id}
              onDone={onDone}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function FlagItem(props: { flag: MonitorFlag; linked: boolean; session: Session; caseId: string; onDone: () => void }) {
  const { flag, linked, session, caseId, onDone } = props;
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const words = useWords();
  const { t, format } = words;

  const label = async (value: TransactionLabel) => {
    setBusy(true);
    setResult(null);
    try {
      await session.api.labelTransaction(caseId, flag.id, value);
      setResult({ ok: true, text: value === 'fraud' ? t('flags.doneFraud') : t('flags.doneLegitimate') });
      onDone();
    } catch (error) {
      setResult({ ok: false, text: describeFailure(words, error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className={`flag decision-${flag.decision}`}>
      <div className="flag-head">
        <strong className="amount">{format.money(flag.amountMinor, flag.currency)}</strong>{' '}
        {t(`transactionType.${flag.transactionType}`)} ·{' '}
        <time dateTime={flag.occurredAt}>{format.instant(flag.occurredAt)}</time>
        {linked && <span className="badge">{t('flags.evidence')}</span>}
      </div>
      <div className="score">
        {t('flags.score', { score: flag.score, decision: decisionWords(words, flag.decision) })}
        {flag.label && (
          <span className="badge">
            {flag.label === 'confirmed_fraud' ? t('flags.labelledFraud') : t('flags.labelledLegitimate')}
          </span>
        )}
      </div>
      <ul className="reasons">
        {flag.reasons.map((r) => (
          <li key={r.rule}>
            <strong>{ruleWords(words, r.rule)}</strong>{' '}
            {t(r.shadow ? 'flags.pointsShadow' : 'flags.points', { points: Math.round(r.points) })}: {r.detail}
          </li>
        ))}
      </ul>
      <fieldset className="flag-actions" aria-label={t('flags.labelGroup', { id: flag.transactionId })}>
        <span className="muted">{t('flags.transaction', { id: flag.transactionId })}</span>
        <button type="button" className="danger" disabled={busy} onClick={() => label('fraud')}>
          {t('flags.labelFraud')}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => label('legitimate')}>
          {t('flags.labelLegitimate')}
        </button>
      </fieldset>
      <ActionResult result={result} />
      <BlockOffer flag={flag} session={session} caseId={caseId} />
    </li>
  );
}
