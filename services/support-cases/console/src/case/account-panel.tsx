import type { CaseDetailView, SecurityEvent } from '@wallet-guard/contracts';
import { wordsOr } from '../i18n/console-i18n';
import { useWords, type Words } from '../i18n/use-words';
import { eventWords } from '../words';

type Account = Extract<CaseDetailView['account'], { available: true }>['data'];

/** The account as auth sees it now: status, locks, two-factor, and the recent sign-ins. */
export function AccountPanel({ detail }: { detail: CaseDetailView }) {
  const { t } = useWords();
  return (
    <section className="panel" aria-labelledby="account-title">
      <h2 id="account-title">{t('account.title')}</h2>
      {detail.account.available ? (
        <AccountFacts account={detail.account.data} />
      ) : (
        <p className="result error">{t('account.authDown', { error: detail.account.error })}</p>
      )}
      <h3>{t('account.recentSignIns')}</h3>
      {detail.securityEvents.available ? (
        <SignIns events={detail.securityEvents.data.items} />
      ) : (
        <p className="result error">{t('account.authDown', { error: detail.securityEvents.error })}</p>
      )}
    </section>
  );
}

function AccountFacts({ account }: { account: Account }) {
  const words = useWords();
  const { t, format } = words;
  const locks = account.locks.filter((l) => l.locked);
  const frozen = account.frozen;
  return (
    <dl className="facts">
      <dt>{t('account.email')}</dt>
      <dd>{account.email}</dd>
      <dt>{t('account.status')}</dt>
      <dd>
        {account.status === 'frozen' ? (
          <span className="badge danger">
            {!frozen
              ? t('account.frozen')
              : frozen.reason
                ? t('account.frozenByBecause', { by: frozen.by, reason: frozen.reason })
                : t('account.frozenBy', { by: frozen.by })}
          </span>
        ) : (
          t('account.active')
        )}
      </dd>
      <dt>{t('account.signIn')}</dt>
      <dd>
        {locks.length === 0 ? (
          t('account.notLocked')
        ) : (
          <ul className="plain">
            {locks.map((l) => (
              <li key={l.subject}>
                <span className="badge warning">{t('account.locked')}</span>{' '}
                {t('account.lock', {
                  source: sourceWords(words, l.subject),
                  until:
                    l.hard || !l.lockedUntil
                      ? t('account.untilUnlock')
                      : t('account.until', { at: format.instant(l.lockedUntil) }),
                  failures: t('account.failures', { count: l.failures }),
                })}
              </li>
            ))}
          </ul>
        )}
      </dd>
      <dt>{t('account.twoFactor')}</dt>
      <dd>{account.twoFactorEnabled ? t('account.on') : t('account.off')}</dd>
      <dt>{t('account.activeSessions')}</dt>
      <dd>{account.activeSessions}</dd>
      <dt>{t('account.lastSignIn')}</dt>
      <dd>{account.lastLoginAt ? format.instant(account.lastLoginAt) : t('account.never')}</dd>
      <dt>{t('account.customerSince')}</dt>
      <dd>{format.instant(account.createdAt)}</dd>
    </dl>
  );
}

/** "from unknown devices", "from device owner-phone", "from IP 203.0.113.5". */
function sourceWords({ t }: Words, subject: string): string {
  if (subject === 'any') return t('account.fromUnknownDevices');
  const [kind = '', ...rest] = subject.split(':');
  const value = rest.join(':');
  if (kind === 'ip') return t('account.fromIp', { value });
  if (kind === 'device') return t('account.fromDevice', { value });
  return t('account.fromOther', { kind, value });
}

/** An allowed sign-in's risk assessment is left out: agents look at the step-ups and refusals (a refusal means a leaked password). */
const quietRisk = (e: SecurityEvent) => e.type === 'sign_in.risk_assessed' && e.payload.decision === 'allow';

/** "second step asked, score 65: new country, impossible travel". */
function riskWords({ t, i18n }: Words, p: Extract<SecurityEvent, { type: 'sign_in.risk_assessed' }>['payload']) {
  const signals = p.signals.map((s) => wordsOr(i18n, `signInRisk.signal.${s.signal}`, s.signal.replaceAll('_', ' ')));
  return t('signInRisk.summary', {
    decision: wordsOr(i18n, `signInRisk.decision.${p.decision}`, p.decision),
    score: p.score,
    signals: signals.length > 0 ? signals.join(', ') : t('signInRisk.noSignals'),
  });
}

function SignIns({ events }: { events: SecurityEvent[] }) {
  const words = useWords();
  const { t, i18n, format } = words;
  const signIns = events.filter((e) => e.type === 'sign_in.succeeded' || e.type === 'sign_in.failed').slice(0, 10);
  const others = events
    .filter((e) => e.type !== 'sign_in.succeeded' && e.type !== 'sign_in.failed' && !quietRisk(e))
    .slice(0, 8);
  return (
    <>
      {signIns.length === 0 ? (
        <p className="muted">{t('account.noSignIns')}</p>
      ) : (
        <table className="compact">
          <thead>
            <tr>
              <th scope="col">{t('account.column.when')}</th>
              <th scope="col">{t('account.column.result')}</th>
              <th scope="col">{t('account.column.device')}</th>
              <th scope="col">{t('account.column.ip')}</th>
              <th scope="col">{t('account.column.country')}</th>
            </tr>
          </thead>
          <tbody>
            {signIns.map((e) => (
              <tr key={e.eventId}>
                <td data-label={t('account.column.when')}>{format.instant(e.occurredAt)}</td>
                <td data-label={t('account.column.result')}>
                  {e.type === 'sign_in.succeeded' ? (
                    <>
                      {t('account.signedIn')}
                      {e.payload.newDevice && <span className="badge warning">{t('account.newDevice')}</span>}
                    </>
                  ) : (
                    t('account.failed', {
                      reason: wordsOr(i18n, `signInFailure.${e.payload.reason}`, e.payload.reason.replaceAll('_', ' ')),
                    })
                  )}
                </td>
                <td data-label={t('account.column.device')}>{e.payload.context.deviceId ?? '—'}</td>
                <td data-label={t('account.column.ip')}>{e.payload.context.ip ?? '—'}</td>
                <td data-label={t('account.column.country')}>{e.payload.context.country ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {others.length > 0 && (
        <>
          <h3>{t('account.otherEvents')}</h3>
          <ul className="plain events">
            {others.map((e) => (
              <li key={e.eventId}>
                <time dateTime={e.occurredAt}>{format.instant(e.occurredAt)}</time> {eventWords(words, e.type)}
                {e.type === 'sign_in.risk_assessed' && <> — {riskWords(words, e.payload)}</>}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
