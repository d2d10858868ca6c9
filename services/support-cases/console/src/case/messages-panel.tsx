import { CASE_MESSAGES_LIMIT, type CaseDetailView, type CaseMessageView } from '@wallet-guard/contracts';
import { formatInstant } from '../time';
import { CHANNEL_WORDS, MESSAGE_KIND_WORDS } from '../words';

/**
 * What the notifier sent the customer and whether it arrived: the first thing to check when a
 * locked-out customer says "I never got the e-mail". All of the account's messages (an unlock link
 * belongs to no case), this case's marked.
 */
export function MessagesPanel({ detail }: { detail: CaseDetailView }) {
  const { messages } = detail;
  return (
    <section className="panel" aria-labelledby="messages-title">
      <h2 id="messages-title">Messages to the customer</h2>
      {!messages.available ? (
        <p className="result error">
          Delivery status is unavailable right now. <span className="muted">({messages.error})</span>
        </p>
      ) : messages.data.length === 0 ? (
        <p className="muted">No messages sent to this customer yet.</p>
      ) : (
        <>
          <p className="muted">
            {messages.data.length === CASE_MESSAGES_LIMIT
              ? `The account’s latest ${CASE_MESSAGES_LIMIT} messages, newest first.`
              : 'All of the account’s messages, newest first.'}
          </p>
          <table className="compact messages">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Message</th>
                <th scope="col">Channel</th>
                <th scope="col">To</th>
                <th scope="col">Status</th>
                <th scope="col">Language</th>
              </tr>
            </thead>
            <tbody>
              {messages.data.map((m) => (
                <tr key={m.id} className={`delivery-${m.status}`}>
                  <td data-label="When">
                    <time dateTime={m.createdAt}>{formatInstant(m.createdAt)}</time>
                  </td>
                  <td data-label="Message">
                    {MESSAGE_KIND_WORDS[m.kind]}
                    {m.aboutThisCase && <span className="badge">this case</span>}
                  </td>
                  <td data-label="Channel">{CHANNEL_WORDS[m.channel]}</td>
                  <td data-label="To">{m.recipient}</td>
                  <td data-label="Status">
                    <span className="status-words">{statusWords(m)}</span>
                    {m.status === 'sent' && m.serverResponse && (
                      <span className="muted server-response">{m.serverResponse}</span>
                    )}
                  </td>
                  <td data-label="Language">{localeWords(m.locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/**
 * "accepted by the mail server 29 Nov 2026, 12:03:05", "retrying (attempt 3): connection refused,
 * next try …", "failed: smtp 550: mailbox unavailable".
 */
function statusWords(m: CaseMessageView): string {
  const reason = m.lastError ?? 'no reason given';
  switch (m.status) {
    case 'pending':
      return 'waiting to be sent';
    case 'sending':
      return 'being sent now';
    case 'retrying':
      return `retrying (attempt ${m.attempts}): ${reason}${m.nextAttemptAt ? `, next try ${formatInstant(m.nextAttemptAt)}` : ''}`;
    case 'sent': {
      const by = m.channel === 'email' ? 'the mail server' : 'the wallet’s webhook';
      return `accepted by ${by}${m.sentAt ? ` ${formatInstant(m.sentAt)}` : ''}`;
    }
    case 'failed':
      return `failed: ${reason}${m.attempts > 1 ? ` (after ${m.attempts} attempts)` : ''}`;
  }
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

/** "zh-CN · Chinese (China)"; the bare tag when it names no language this browser knows. */
function localeWords(locale: string): string {
  try {
    const name = languageNames.of(locale);
    return name && name !== locale ? `${locale} · ${name}` : locale;
  } catch {
    return locale;
  }
}
