import type { CaseDetailView, MonitorFlag, TransactionLabel } from '@wallet-guard/contracts';
import { useState } from 'react';
import type { Session } from '../session';
import { formatInstant, formatMoney } from '../time';
import { DECISION_WORDS, ruleWords } from '../words';
import { ActionResult, describeFailure } from './action-form';

interface Props {
  session: Session;
  detail: CaseDetailView;
  onDone: () => void;
}

/** The account's flagged transactions: score, each rule's reason in words, and the agent's label. */
export function FlagsPanel({ session, detail, onDone }: Props) {
  const evidence = new Set(detail.evidence.filter((e) => e.kind === 'flag').map((e) => e.ref));
  return (
    <section className="panel" aria-labelledby="flags-title">
      <h2 id="flags-title">Flagged transactions</h2>
      {!detail.flags.available ? (
        <p className="result error">The transaction monitor did not answer: {detail.flags.error}</p>
      ) : detail.flags.data.items.length === 0 ? (
        <p className="muted">No flagged transactions on this account.</p>
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

  const label = async (value: TransactionLabel) => {
    setBusy(true);
    setResult(null);
    try {
      await session.api.labelTransaction(caseId, flag.id, value);
      setResult({ ok: true, text: `Labelled ${value}: the monitor keeps it to tune its rules.` });
      onDone();
    } catch (error) {
      setResult({ ok: false, text: describeFailure(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className={`flag decision-${flag.decision}`}>
      <div className="flag-head">
        <strong>{formatMoney(flag.amountMinor, flag.currency)}</strong> {flag.transactionType.replaceAll('_', ' ')} ·{' '}
        <time dateTime={flag.occurredAt}>{formatInstant(flag.occurredAt)}</time>
        {linked && <span className="badge">evidence of this case</span>}
      </div>
      <div className="score">
        Score <strong>{flag.score}</strong>/100: {DECISION_WORDS[flag.decision] ?? flag.decision}
        {flag.label && (
          <span className="badge">labelled {flag.label === 'confirmed_fraud' ? 'fraud' : 'legitimate'}</span>
        )}
      </div>
      <ul className="reasons">
        {flag.reasons.map((r) => (
          <li key={r.rule}>
            <strong>{ruleWords(r.rule)}</strong> (+{Math.round(r.points)}
            {r.shadow ? ', shadow rule: not counted' : ''}): {r.detail}
          </li>
        ))}
      </ul>
      <fieldset className="flag-actions" aria-label={`Label transaction ${flag.transactionId}`}>
        <span className="muted">Transaction {flag.transactionId}</span>
        <button type="button" className="danger" disabled={busy} onClick={() => label('fraud')}>
          Label fraud
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => label('legitimate')}>
          Label legitimate
        </button>
      </fieldset>
      <ActionResult result={result} />
    </li>
  );
}
