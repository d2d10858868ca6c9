// Review probes (issue 13): what the deliveries API and the wire give away.
import { TOPICS } from '@wallet-guard/contracts';
import { enqueueEvent } from '@wallet-guard/messaging';
import { noteSecretsIn, type SmtpSink, startSmtpSink, waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningNotifier, startNotifier, unlockLinkEvent } from '../testing/harness';

async function publishLocally(notifier: RunningNotifier, event: ReturnType<typeof unlockLinkEvent>) {
  noteSecretsIn(event.payload);
  await notifier.infra.db.transaction().execute((trx) => enqueueEvent(trx, 'auth', TOPICS.notifications, event));
  notifier.infra.bus.nudge();
}

describe('masked recipient', () => {
  let smtp: SmtpSink;
  let notifier: RunningNotifier;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    notifier = await startNotifier({ env: { NOTIFIER_SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await notifier.close();
    await smtp.close();
  });

  it('is not given away in full by the last error (Postfix quotes the address it refuses)', async () => {
    const email = 'jonathan.private@example.com';
    smtp.respondWith(550, {
      message: `5.1.1 <${email}>: Recipient address rejected: User unknown in virtual mailbox table`,
      times: 1,
    });
    const event = unlockLinkEvent({ email, locale: 'en' });
    await publishLocally(notifier, event);
    const failed = await waitFor(
      async () => (await notifier.deliveries(event.accountId)).find((d) => d.status === 'failed'),
      { what: 'the failed delivery' },
    );
    expect(failed.recipient).toBe('j***e@example.com');
    // Fails: lastError carries the whole address the recipient field masks.
    expect(JSON.stringify(failed)).not.toContain(email);
  });
});

describe('production SMTP without TLS', () => {
  let smtp: SmtpSink;
  beforeAll(async () => {
    // Offers no STARTTLS (like a server behind an attacker who strips it), asks for AUTH.
    smtp = await startSmtpSink({ auth: { user: 'notifier', pass: 'smtp-password' } });
  });
  afterAll(async () => {
    await smtp.close();
  });

  it('does not send credentials and an unlock token in clear text', async () => {
    const notifier = await startNotifier({
      env: {
        NODE_ENV: 'production',
        NOTIFIER_API_KEYS: `cases:internal:${'a'.repeat(64)}`,
        NOTIFIER_AUTH_API_KEY: 'a-real-internal-key-for-auth',
        NOTIFIER_SMTP_URL: smtp.url,
        NOTIFIER_FROM: 'Wallet Guard <security@wallet.example>',
        NOTIFIER_LINK_BASE_URL: 'https://account.wallet.example',
        METRICS_REQUIRE_API_KEY: 'false',
      },
    });
    try {
      const event = unlockLinkEvent({ email: 'cleartext@example.com', locale: 'en' });
      await publishLocally(notifier, event);
      const arrived = await smtp
        .waitFor((m) => m.envelope.to.includes('cleartext@example.com'), 5_000)
        .then(() => true)
        .catch(() => false);
      // Fails: AUTH PLAIN and the message with its #token= link went over plain TCP in production.
      expect(arrived).toBe(false);
    } finally {
      await notifier.close();
    }
  });
});
