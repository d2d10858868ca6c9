// Review probes (issue 13): unusual but valid addresses reach the mail server as written.
import { TOPICS } from '@wallet-guard/contracts';
import { enqueueEvent } from '@wallet-guard/messaging';
import { noteSecretsIn, type SmtpSink, startSmtpSink, waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningNotifier, startNotifier, unlockLinkEvent } from '../testing/harness';

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

it.each([
  "o'brien+wallet@example.com",
  'UPPER.Case@Example.COM',
  'xyz@sub.domain.example.co.uk',
  `${'a'.repeat(64)}@example.com`,
])('%s', async (email) => {
  const event = unlockLinkEvent({ email, locale: 'zh-TW' });
  noteSecretsIn(event.payload);
  await notifier.infra.db.transaction().execute((trx) => enqueueEvent(trx, 'auth', TOPICS.notifications, event));
  notifier.infra.bus.nudge();
  const mail = await smtp.waitFor((m) => m.envelope.to.some((t) => t.toLowerCase() === email.toLowerCase()));
  expect(mail.headers['content-language']).toBe('en');
  const row = await waitFor(async () => (await notifier.deliveries(event.accountId)).find((d) => d.status === 'sent'));
  expect(row.recipient).not.toContain(email.split('@')[0]);
});
