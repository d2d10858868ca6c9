import type { CaseDetailView, SecurityEvent } from '@wallet-guard/contracts';
import { formatInstant } from '../time';
import { eventWords } from '../words';

type Account = Extract<CaseDetailView['account'], { available: true }>['data'];

/** The account as auth sees it now: status, locks, two-factor, and the recent sign-ins. */
export function AccountPanel({ detail }: { detail: CaseDetailView }) {
  return (
    <section className="panel" aria-labelledby="account-title">
      <h2 id="account-title">Account</h2>
      {detail.account.available ? (
        <AccountFacts account={detail.account.data} />
      ) : (
        <p className="result error">Auth did not answer: {detail.account.error}</p>
      )}
      <h3>Recent sign-ins</h3>
      {detail.securityEvents.available ? (
        <SignIns events={detail.securityEvents.data.items} />
      ) : (
        <p className="result error">Auth did not answer: {detail.securityEvents.error}</p>
      )}
    </section>
  );
}

function AccountFacts({ account }: { account: Account }) {
  const locks = account.locks.filter((l) => l.locked);
  return (
    <dl className="facts">
      <dt>Email</dt>
      <dd>{account.email}</dd>
      <dt>Status</dt>
      <dd>
        {account.status === 'frozen' ? (
          <span className="badge danger">
            Frozen
            {account.frozen
              ? ` by ${account.frozen.by}${account.frozen.reason ? `: ${account.frozen.reason}` : ''}`
              : ''}
          </span>
        ) : (
          'Active'
        )}
      </dd>
      <dt>Sign-in</dt>
      <dd>
        {locks.length === 0 ? (
          'Not locked'
        ) : (
          <ul className="plain">
            {locks.map((l) => (
              <li key={l.subject}>
                <span className="badge warning">Locked</span> {sourceWords(l.subject)},{' '}
                {l.hard || !l.lockedUntil ? 'until an unlock (hard lock)' : `until ${formatInstant(l.lockedUntil)}`} ·{' '}
                {l.failures} failures
              </li>
            ))}
          </ul>
        )}
      </dd>
      <dt>Two-factor</dt>
      <dd>{account.twoFactorEnabled ? 'On' : 'Off'}</dd>
      <dt>Active sessions</dt>
      <dd>{account.activeSessions}</dd>
      <dt>Last sign-in</dt>
      <dd>{account.lastLoginAt ? formatInstant(account.lastLoginAt) : 'never'}</dd>
      <dt>Customer since</dt>
      <dd>{formatInstant(account.createdAt)}</dd>
    </dl>
  );
}

/** "any source", "device owner-phone", "IP 203.0.113.5". */
function sourceWords(subject: string): string {
  if (subject === 'any') return 'from unknown devices';
  const [kind, ...rest] = subject.split(':');
  return `${kind === 'ip' ? 'from IP' : `from ${kind}`} ${rest.join(':')}`;
}

function SignIns({ events }: { events: SecurityEvent[] }) {
  const signIns = events.filter((e) => e.type === 'sign_in.succeeded' || e.type === 'sign_in.failed').slice(0, 10);
  const others = events.filter((e) => e.type !== 'sign_in.succeeded' && e.type !== 'sign_in.failed').slice(0, 8);
  return (
    <>
      {signIns.length === 0 ? (
        <p className="muted">No sign-ins recorded recently.</p>
      ) : (
        <table className="compact">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Result</th>
              <th scope="col">Device</th>
              <th scope="col">IP</th>
              <th scope="col">Country</th>
            </tr>
          </thead>
          <tbody>
            {signIns.map((e) => (
              <tr key={e.eventId}>
                <td data-label="When">{formatInstant(e.occurredAt)}</td>
                <td data-label="Result">
                  {e.type === 'sign_in.succeeded' ? (
                    <>Signed in{e.payload.newDevice && <span className="badge warning">new device</span>}</>
                  ) : (
                    `Failed: ${e.payload.reason.replaceAll('_', ' ')}`
                  )}
                </td>
                <td data-label="Device">{e.payload.context.deviceId ?? '—'}</td>
                <td data-label="IP">{e.payload.context.ip ?? '—'}</td>
                <td data-label="Country">{e.payload.context.country ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {others.length > 0 && (
        <>
          <h3>Other security events</h3>
          <ul className="plain events">
            {others.map((e) => (
              <li key={e.eventId}>
                <time dateTime={e.occurredAt}>{formatInstant(e.occurredAt)}</time> {eventWords(e.type)}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
