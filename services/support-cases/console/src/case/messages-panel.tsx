import { CASE_MESSAGES_LIMIT, type CaseDetailView, type CaseMessageView } from '@wallet-guard/contracts';
import { useWords, type Words } from '../i18n/use-words';

/**
 * What the notifier sent the customer and whether it arrived: the first thing to check when a
 * locked-out customer says "I never got the e-mail". All of the account's messages (an unlock link
 * belongs to no case), this case's marked. The mail server's answer and the last error are shown
 * as the servers wrote them.
 */
export function MessagesPanel({ detail }: { detail: CaseDetailView }) {
  const words = useWords();
  const { t, format } = words;
  const { messages } = detail;
  return (
    <section className="panel" aria-labelledby="messages-title">
      <h2 id="messages-title">{t('messages.title')}</h2>
      {!messages.available ? (
        <p className="result error">
          {t('messages.unavailable')} <span className="muted">({messages.error})</span>
        </p>
      ) : messages.data.length === 0 ? (
        <p className="muted">{t('messages.none')}</p>
      ) : (
        <>
          <p className="muted">
            {messages.data.length === CASE_MESSAGES_LIMIT
              ? t('messages.latest', { count: CASE_MESSAGES_LIMIT })
              : t('messages.all')}
          </p>
          <table className="compact messages">
            <thead>
              <tr>
                <th scope="col">{t('messages.column.when')}</th>
                <th scope="col">{t('messages.column.message')}</th>
                <th scope="col">{t('messages.column.channel')}</th>
                <th scope="col">{t('messages.column.to')}</th>
                <th scope="col">{t('messages.column.status')}</th>
                <th scope="col">{t('messages.column.language')}</th>
              </tr>
            </thead>
            <tbody>
              {messages.data.map((m) => (
                <tr key={m.id} className={`delivery-${m.status}`}>
                  <td data-label={t('messages.column.when')}>
                    <time dateTime={m.createdAt}>{format.instant(m.createdAt)}</time>
                  </td>
                  <td data-label={t('messages.column.message')}>
                    {t(`messageKind.${m.kind}`)}
                    {m.aboutThisCase && <span className="badge">{t('messages.thisCase')}</span>}
                  </td>
                  <td data-label={t('messages.column.channel')}>{t(`channel.${m.channel}`)}</td>
                  <td data-label={t('messages.column.to')}>{m.recipient}</td>
                  <td data-label={t('messages.column.status')}>
                    <span className="status-words">{statusWords(words, m)}</span>
                    {m.status === 'sent' && m.serverResponse && (
                      <span className="muted server-response">{m.serverResponse}</span>
                    )}
                  </td>
                  <td data-label={t('messages.column.language')}>{localeWords(words, m.locale)}</td>
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
function statusWords({ t, format }: Words, m: CaseMessageView): string {
  const reason = m.lastError ?? t('messages.delivery.noReason');
  switch (m.status) {
    case 'pending':
      return t('messages.delivery.pending');
    case 'sending':
      return t('messages.delivery.sending');
    case 'retrying':
      return m.nextAttemptAt
        ? t('messages.delivery.retryingNext', { attempts: m.attempts, reason, at: format.instant(m.nextAttemptAt) })
        : t('messages.delivery.retrying', { attempts: m.attempts, reason });
    case 'sent': {
      const by = m.channel === 'email' ? t('messages.delivery.mailServer') : t('messages.delivery.webhook');
      return m.sentAt
        ? t('messages.delivery.sentByAt', { by, at: format.instant(m.sentAt) })
        : t('messages.delivery.sentBy', { by });
    }
    case 'failed':
      return m.attempts > 1
        ? t('messages.delivery.failedAfter', { reason, attempts: m.attempts })
        : t('messages.delivery.failed', { reason });
  }
}

/** "zh-CN · Chinese (China)" (in the agent's language); the bare tag when it names no language Intl knows. */
function localeWords({ t, format }: Words, locale: string): string {
  const name = format.languageName(locale);
  return name ? t('messages.languageName', { tag: locale, name }) : locale;
}
