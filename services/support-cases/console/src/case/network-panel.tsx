import type { NetworkAccountView } from '@wallet-guard/contracts';
import { type FormEvent, useState } from 'react';
import { useWords } from '../i18n/use-words';
import type { Session } from '../session';
import { usePolling } from '../use-polling';
import { decisionWords, describeFailure } from '../words';
import { ActionResult } from './action-form';

/** As often as the case page: a new account paying the mule shows up while the agent works. */
const POLL_MS = 5000;

interface Props {
  session: Session;
  caseId: string;
  onDone: () => void;
}

/**
 * A mule_destination case: the destination, the accounts paying it (what each paid, its takeover
 * signs and flags) and freezing the ones the agent ticks, with a reason.
 */
export function NetworkPanel({ session, caseId, onDone }: Props) {
  const network = usePolling((signal) => session.api.getNetworkCase(caseId, signal), POLL_MS, caseId);
  const words = useWords();
  const { t, format } = words;
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  if (!network.data) {
    return (
      <section className="panel" aria-labelledby="network-title">
        <h2 id="network-title">{t('network.title')}</h2>
        {network.error ? (
          <p className="result error">{describeFailure(words, network.error)}</p>
        ) : (
          <p className="loading">{t('case.loading')}</p>
        )}
      </section>
    );
  }
  const n = network.data;
  const toggle = (accountId: string) => {
    const next = new Set(chosen);
    if (next.has(accountId)) next.delete(accountId);
    else next.add(accountId);
    setChosen(next);
  };
  const freeze = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setResult(null);
    try {
      const { results } = await session.api.freezeListedAccounts(caseId, [...chosen], reason.trim());
      const frozen = results.filter((r) => r.outcome === 'frozen').length;
      const failed = results.filter((r) => r.outcome === 'failed');
      setResult({
        ok: failed.length === 0,
        text:
          failed.length === 0
            ? t('network.frozen', { count: frozen })
            : t('network.partlyFrozen', {
                count: frozen,
                failed: failed.map((f) => `${f.accountId} (${f.code ?? '?'})`).join(', '),
              }),
      });
      setChosen(new Set());
      onDone();
    } catch (error) {
      setResult({ ok: false, text: describeFailure(words, error) });
    } finally {
      setBusy(false);
    }
  };

  const money = (amounts: NetworkAccountView['amounts']) =>
    amounts.map((a) => format.money(a.amountMinor, a.currency)).join(' + ');
  return (
    <section className="panel" aria-labelledby="network-title">
      <h2 id="network-title">{t('network.title')}</h2>
      <p>{t('network.destination', { kind: t(`network.kind.${n.destination.kind}`), id: n.destination.id })}</p>
      <p className="muted">
        {t('network.window', {
          newPayers: n.window.newPayers,
          withSigns: n.window.newPayersWithSigns,
          hours: n.window.hours,
        })}{' '}
        {t('network.received', { amount: money(n.received) })}
      </p>
      <form onSubmit={freeze}>
        <table className="network-accounts">
          <caption>{t('network.accounts', { count: n.accounts.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('network.select')}</th>
              <th scope="col">{t('network.account')}</th>
              <th scope="col">{t('network.paid')}</th>
              <th scope="col">{t('network.firstPaid')}</th>
              <th scope="col">{t('network.signs')}</th>
              <th scope="col">{t('network.flags')}</th>
            </tr>
          </thead>
          <tbody>
            {n.accounts.map((a) => (
              <tr key={a.accountId} className={a.decision ? `decision-${a.decision}` : undefined}>
                <td>
                  <input
                    type="checkbox"
                    checked={chosen.has(a.accountId)}
                    onChange={() => toggle(a.accountId)}
                    aria-label={t('network.choose', { account: a.accountId })}
                  />
                </td>
                <td>
                  <code>{a.accountId}</code>
                </td>
                <td>
                  {money(a.amounts)} ({t('network.payments', { count: a.payments })})
                </td>
                <td>
                  <time dateTime={a.firstPaidAt}>{format.instant(a.firstPaidAt)}</time>
                </td>
                <td>
                  {a.securityChangeAt
                    ? t('network.securityChange', { at: format.instant(a.securityChangeAt) })
                    : t('network.noSecurityChange')}
                </td>
                <td>
                  {a.decision
                    ? t('network.flagged', {
                        decision: decisionWords(words, a.decision),
                        score: a.maxScore,
                        count: a.flagIds.length,
                      })
                    : t('network.notFlagged')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <label>
          {t('network.reason')}
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} required />
        </label>
        <button type="submit" className="danger" disabled={busy || chosen.size === 0 || reason.trim() === ''}>
          {t('network.freeze', { count: chosen.size })}
        </button>
      </form>
      <ActionResult result={result} />
    </section>
  );
}
