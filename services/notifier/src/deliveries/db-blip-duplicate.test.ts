// Review probe (issue 13): a database blip on one channel while the other channel waits to retry.
// deliverEverywhere's Promise.all rejects at once, applyEffect retries the effect after ~200 ms,
// and the re-run claims the e-mail row (`retrying`) and starts a second delivery loop beside the
// first one, which is still waiting: once the mail server answers, both loops send the e-mail.
import { TOPICS } from '@wallet-guard/contracts';
import { enqueueEvent } from '@wallet-guard/messaging';
import { noteSecretsIn, type SmtpSink, startSmtpSink, waitFor } from '@wallet-guard/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningNotifier, startNotifier, unlockLinkEvent } from '../testing/harness';
import { type Receiver, startReceiver } from '../testing/webhook-receiver';

let smtp: SmtpSink;
let receiver: Receiver;
let notifier: RunningNotifier;

beforeAll(async () => {
  smtp = await startSmtpSink();
  receiver = await startReceiver();
  notifier = await startNotifier({
    env: {
      NOTIFIER_SMTP_URL: smtp.url,
      NOTIFIER_WEBHOOK_URL: receiver.url,
      NOTIFIER_WEBHOOK_SECRET: `whsec_${Buffer.from('a-webhook-secret-of-32-bytes-len').toString('base64')}`,
      NOTIFIER_MAX_ATTEMPTS: '10',
      NOTIFIER_RETRY_BASE_MS: '6000',
      NOTIFIER_RETRY_MAX_MS: '6000',
    },
  });
});
afterAll(async () => {
  await notifier.close();
  await smtp.close();
  await receiver.close();
});

it('sends the e-mail once when the database drops a connection while it waits to retry', async () => {
  const db = notifier.db.db;
  smtp.respondWith(451, { message: 'try again later' });
  receiver.holdNext.ms = 1_500;
  const event = unlockLinkEvent({ email: 'blip@example.com', locale: 'en' });
  noteSecretsIn(event.payload);
  await notifier.infra.db.transaction().execute((trx) => enqueueEvent(trx, 'auth', TOPICS.notifications, event));
  notifier.infra.bus.nudge();
  await waitFor(() => receiver.calls.some((c) => c.eventId === event.eventId), { what: 'the webhook call' });

  // Hold the webhook row so the notifier's "sent" update waits, then drop that connection (57P01,
  // what a Postgres restart or failover does to it).
  await db.transaction().execute(async (trx) => {
    await sql`select id from notifier_deliveries where event_id = ${event.eventId} and channel = 'webhook' for update`.execute(
      trx,
    );
    const blocked = await waitFor(
      async () => {
        const { rows } = await sql<{ pid: number }>`
          select pid from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and query ilike 'update "notifier_deliveries"%'`.execute(
          trx,
        );
        return rows[0];
      },
      { what: 'the blocked update' },
    );
    await sql`select pg_terminate_backend(${blocked.pid})`.execute(trx);
  });
  smtp.respondWith(null); // the mail server is back

  await smtp.waitFor((m) => m.envelope.to.includes('blip@example.com'), 20_000);
  await new Promise((r) => setTimeout(r, 8_000)); // the first loop's wait (3 to 6 s) ends
  const mails = smtp.messages.filter((m) => m.envelope.to.includes('blip@example.com'));
  // Fails: two e-mails (same Message-ID), one from each delivery loop.
  expect(mails.map((m) => m.messageId)).toHaveLength(1);
});
