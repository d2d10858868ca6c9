// Review probe (issue 13): a graceful stop while one channel waits to retry and the other is in
// the middle of a send. deliverEverywhere's Promise.all gives up at the first channel that
// throws ("stopping"), so the stop does not wait for the send in flight: its row stays
// `sending`, and the next owner of the partition sends it again.
import { TOPICS } from '@wallet-guard/contracts';
import {
  createTestDatabase,
  type SmtpSink,
  startSmtpSink,
  type TestDatabase,
  TestKafka,
  waitFor,
} from '@wallet-guard/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { asRecord, type RunningNotifier, startNotifier, unlockLinkEvent } from '../testing/harness';
import { type Receiver, startReceiver } from '../testing/webhook-receiver';

let kafka: TestKafka;
let smtp: SmtpSink;
let receiver: Receiver;
let database: TestDatabase;
const running: RunningNotifier[] = [];

const env = () => ({
  NOTIFIER_SMTP_URL: smtp.url,
  NOTIFIER_WEBHOOK_URL: receiver.url,
  NOTIFIER_WEBHOOK_SECRET: `whsec_${Buffer.from('a-webhook-secret-of-32-bytes-len').toString('base64')}`,
  NOTIFIER_MAX_ATTEMPTS: '60',
  NOTIFIER_RETRY_BASE_MS: '2000',
  NOTIFIER_RETRY_MAX_MS: '2000',
  NOTIFIER_SEND_TIMEOUT_MS: '10000',
});

beforeAll(async () => {
  kafka = new TestKafka();
  await kafka.createTopics([TOPICS.notifications, TOPICS.caseEvents]);
  smtp = await startSmtpSink();
  receiver = await startReceiver();
  database = await createTestDatabase({ poolMax: 5 });
});
afterAll(async () => {
  for (const n of running) await n.close().catch(() => {});
  await smtp.close();
  await receiver.close();
  await kafka.cleanup();
  await database.drop();
});

it('a stop during a retry wait does not make the other channel send twice', async () => {
  smtp.respondWith(451, { message: 'try again later' });
  receiver.holdNext.ms = 6_000; // the wallet's gateway is slow to answer this one
  const first = await startNotifier({ kafka, database, env: env() });
  running.push(first);
  const event = unlockLinkEvent({ email: 'twice@example.com', locale: 'en' });
  await kafka.produce(TOPICS.notifications, [asRecord(event)]);
  await waitFor(() => receiver.calls.some((c) => c.eventId === event.eventId), { what: 'the webhook call' });
  await waitFor(async () => (await first.deliveries(event.accountId)).find((d) => d.status === 'retrying'), {
    what: 'the e-mail retrying',
  });
  // A deploy: SIGTERM's graceful stop, then the next instance takes the partition over.
  await first.close();
  const { rows } = await sql<{ channel: string; status: string }>`
    select channel, status from notifier_deliveries where event_id = ${event.eventId}`.execute(database.db);
  const afterStop = Object.fromEntries(rows.map((r) => [r.channel, r.status]));
  smtp.respondWith(null);
  const second = await startNotifier({ kafka, database, env: env() });
  running.push(second);
  await smtp.waitFor((m) => m.envelope.to.includes('twice@example.com'), 30_000);
  await new Promise((r) => setTimeout(r, 7_000));
  // Fails: the stop returned with the webhook still `sending` (it was not waited for) and the
  // second instance called the webhook again.
  expect({ afterStop, webhookCalls: receiver.calls.filter((c) => c.eventId === event.eventId).length }).toEqual({
    afterStop: { email: 'retrying', webhook: 'sent' },
    webhookCalls: 1,
  });
});
