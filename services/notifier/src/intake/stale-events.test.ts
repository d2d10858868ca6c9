// Review probe (issue 13): the consumer group reads auth.notifications.v1 from the beginning
// (fromBeginning: true), so the notifier's first start against a broker with history sends every
// notification still retained, however old: expired unlock links, days-old "was this you?".
import { TOPICS } from '@wallet-guard/contracts';
import { noteSecretsIn, type SmtpSink, startSmtpSink, TestKafka } from '@wallet-guard/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { asRecord, type RunningNotifier, startNotifier, unlockLinkEvent } from '../testing/harness';

let kafka: TestKafka;
let smtp: SmtpSink;
let notifier: RunningNotifier | undefined;

beforeAll(async () => {
  kafka = new TestKafka();
  await kafka.createTopics([TOPICS.notifications, TOPICS.caseEvents]);
  smtp = await startSmtpSink();
});
afterAll(async () => {
  await notifier?.close();
  await smtp.close();
  await kafka.cleanup();
});

it('does not e-mail an unlock link that expired days ago (first start on a topic with history)', async () => {
  const sixDaysAgo = Date.now() - 6 * 24 * 3_600_000;
  const base = unlockLinkEvent({ email: 'old@example.com', locale: 'en' });
  const old = {
    ...base,
    occurredAt: new Date(sixDaysAgo).toISOString(),
    payload: { ...base.payload, expiresAt: new Date(sixDaysAgo + 3_600_000).toISOString() },
  };
  noteSecretsIn(old.payload);
  await kafka.produce(TOPICS.notifications, [asRecord(old)]);
  notifier = await startNotifier({ kafka, env: { NOTIFIER_SMTP_URL: smtp.url } });
  const arrived = await smtp
    .waitFor((m) => m.envelope.to.includes('old@example.com'), 8_000)
    .then((m) => m.subject)
    .catch(() => null);
  // Fails: "Unlock your account" arrives, with a link that stopped working six days ago.
  expect(arrived).toBeNull();
});
