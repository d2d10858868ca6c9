// notification.sign_in_code on Kafka (issue 16): e-mailed in the account's language with the code
// in the body; a code that expired before the notifier got to it is not sent (it would be useless,
// and a late code only confuses), and the deliveries table keeps neither the code nor the body.
import { randomUUID } from 'node:crypto';
import { createEvent, TOPICS } from '@wallet-guard/contracts';
import { type SmtpSink, startSmtpSink, TestKafka, waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { asRecord, type RunningNotifier, startNotifier } from '../testing/harness';

let kafka: TestKafka;
let smtp: SmtpSink;
let notifier: RunningNotifier;

beforeAll(async () => {
  kafka = new TestKafka();
  await kafka.createTopics([TOPICS.notifications, TOPICS.caseEvents]);
  smtp = await startSmtpSink();
  notifier = await startNotifier({ kafka, env: { NOTIFIER_SMTP_URL: smtp.url } });
});
afterAll(async () => {
  await notifier?.close();
  await smtp.close();
  await kafka.cleanup();
});

function signInCode(input: { email: string; locale: string; code: string; sentAt: number }) {
  return createEvent(TOPICS.notifications, {
    type: 'notification.sign_in_code',
    version: 1,
    producer: 'auth',
    accountId: randomUUID(),
    occurredAt: new Date(input.sentAt).toISOString(),
    payload: {
      email: input.email,
      locale: input.locale,
      code: input.code,
      expiresAt: new Date(input.sentAt + 600_000).toISOString(),
      freezeToken: `fz_${randomUUID().replaceAll('-', '')}`,
      freezeTokenExpiresAt: new Date(input.sentAt + 7 * 86_400_000).toISOString(),
      context: { ip: '203.0.113.9', country: 'JP' },
    },
  });
}

it('e-mails a fresh code in the account language; one past its 10 minutes is not sent', async () => {
  const late = signInCode({ email: 'late@example.com', locale: 'en', code: '904417', sentAt: Date.now() - 660_000 });
  const fresh = signInCode({ email: 'li@example.com', locale: 'zh-CN', code: '318205', sentAt: Date.now() });
  await kafka.produce(TOPICS.notifications, [asRecord(late), asRecord(fresh)]);

  const mail = await smtp.waitFor((m) => m.envelope.to.includes('li@example.com'), 30_000);
  expect(mail.subject).toBe('您的登录验证码');
  expect(mail.headers['content-language']).toBe('zh-CN');
  expect(mail.text).toContain('验证码：318205');
  expect(mail.subject).not.toContain('318205');
  expect(mail.text).toContain('日本');

  const [expired] = await waitFor(
    async () => {
      const items = await notifier.deliveries(late.accountId);
      return items.length > 0 && items.every((d) => d.status === 'failed') ? items : undefined;
    },
    { what: 'the late code recorded as not sent' },
  );
  expect(expired).toMatchObject({ kind: 'sign_in_code', status: 'failed', attempts: 0 });
  expect(smtp.messages.some((m) => m.envelope.to.includes('late@example.com'))).toBe(false);

  // The server has the message before the notifier records its answer: wait for the record.
  const [sent] = await waitFor(
    async () => {
      const items = await notifier.deliveries(fresh.accountId);
      return items.length > 0 && items.every((d) => d.status === 'sent') ? items : undefined;
    },
    { what: 'the fresh code recorded as sent' },
  );
  expect(sent).toMatchObject({ kind: 'sign_in_code', status: 'sent', locale: 'zh-CN' });
  // What support sees of it holds no code.
  expect(JSON.stringify(await notifier.deliveries(fresh.accountId))).not.toContain('318205');
  const stored = await notifier.db.db.selectFrom('notifier_deliveries').selectAll().execute();
  expect(JSON.stringify(stored)).not.toContain('318205');
  expect(JSON.stringify(stored)).not.toContain('904417');
});
