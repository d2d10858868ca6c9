// The notifier on real Kafka, a real SMTP server (smtp-server, in-process) and a real HTTP webhook
// receiver: what arrives, in which language, how often, and what the deliveries API says of it.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TOPICS } from '@wallet-guard/contracts';
import { noteSecretsIn, type SmtpSink, startSmtpSink, TestKafka, waitFor } from '@wallet-guard/testing';
import { sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asRecord, type RunningNotifier, startNotifier, unlockLinkEvent } from '../testing/harness';

const uniqueEmail = (tag: string) => `${tag}-${randomUUID().slice(0, 8)}@example.com`;
const WEBHOOK_SECRET = `whsec_${Buffer.from('a-webhook-secret-of-32-bytes-len').toString('base64')}`;

interface WebhookCall {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver that records each call and answers `status` (settable). */
async function startReceiver(): Promise<{
  url: string;
  calls: WebhookCall[];
  status: { code: number };
  server: Server;
}> {
  const calls: WebhookCall[] = [];
  const status = { code: 204 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      calls.push({ headers: req.headers, body });
      res.statusCode = status.code;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/wallet-guard`, calls, status, server };
}

let kafka: TestKafka;
let smtp: SmtpSink;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let notifier: RunningNotifier;

beforeAll(async () => {
  kafka = new TestKafka();
  await kafka.createTopics();
  smtp = await startSmtpSink({ auth: { user: 'notifier', pass: 'smtp-password-for-tests' } });
  receiver = await startReceiver();
  notifier = await startNotifier({
    kafka,
    env: {
      NOTIFIER_SMTP_URL: smtp.url,
      NOTIFIER_FROM: 'Wallet Guard <security@wallet.example>',
      NOTIFIER_LINK_BASE_URL: 'https://account.wallet.example/portal',
      NOTIFIER_WEBHOOK_URL: receiver.url,
      NOTIFIER_WEBHOOK_SECRET: WEBHOOK_SECRET,
      // About ten seconds of attempts: more than the outage below, less than a test's patience.
      NOTIFIER_MAX_ATTEMPTS: '30',
    },
  });
});

afterAll(async () => {
  await notifier.close();
  await smtp.close();
  await new Promise((resolve) => receiver.server.close(resolve));
  await kafka.cleanup();
});

/** Publishes `event` as auth would, noting its token as a secret the log scan must not find. */
async function publish(event: ReturnType<typeof unlockLinkEvent>) {
  noteSecretsIn(event.payload);
  await kafka.produce(TOPICS.notifications, [asRecord(event)]);
}

const mailsTo = (email: string) => smtp.messages.filter((m) => m.envelope.to.includes(email));
const callsFor = (eventId: string) => receiver.calls.filter((c) => JSON.parse(c.body).data?.eventId === eventId);

describe('notifier', () => {
  it('delivers an unlock link once per channel, in the recipient language, with the token only in the fragment', async () => {
    const en = unlockLinkEvent({ email: uniqueEmail('en'), locale: 'en-GB' });
    const zh = unlockLinkEvent({ email: uniqueEmail('zh'), locale: 'zh-Hans-CN' });
    await publish(en);
    await publish(zh);
    const [enMail, zhMail] = await Promise.all([
      smtp.waitFor((m) => m.envelope.to.includes(en.payload.email)),
      smtp.waitFor((m) => m.envelope.to.includes(zh.payload.email)),
    ]);
    expect(enMail.subject).toMatch(/unlock/i);
    expect(zhMail.subject).toMatch(/[\u4e00-\u9fff]/);
    expect(zhMail.subject).not.toMatch(/unlock/i);
    expect(enMail.headers['content-language']).toBe('en');
    expect(zhMail.headers['content-language']).toBe('zh-CN');
    for (const [mail, event] of [
      [enMail, en],
      [zhMail, zh],
    ] as const) {
      const link = `https://account.wallet.example/portal/unlock#token=${encodeURIComponent(event.payload.token)}`;
      expect(mail.text).toContain(link);
      expect(mail.html).toContain(link);
      expect(mail.raw).not.toMatch(/[?&]token=/);
      expect(mail.from).toBe('security@wallet.example');
    }

    // Support's view: sent, accepted by the server, address masked; the table keeps no token.
    // The sink holds the message a moment before the notifier hears its 250 and records it.
    const delivery = await waitFor(
      async () =>
        (await notifier.deliveries(zh.accountId)).find((d) => d.channel === 'email' && d.status !== 'sending'),
      { what: 'the e-mail delivery recorded' },
    );
    expect(delivery).toMatchObject({
      eventId: zh.eventId,
      kind: 'unlock_link',
      locale: 'zh-CN',
      status: 'sent',
      attempts: 1,
      lastError: null,
    });
    expect(delivery?.serverResponse).toMatch(/^250/);
    expect(delivery?.recipient).toMatch(/^z\*\*\*[0-9a-f]@example\.com$/);
    const { rows } = await sql`select * from notifier_deliveries`.execute(notifier.db.db);
    expect(JSON.stringify(rows)).not.toContain(zh.payload.token);
    expect(JSON.stringify(rows)).not.toContain(en.payload.token);
  });

  it('signs each webhook per Standard Webhooks: the verifier accepts it, a wrong secret does not', async () => {
    const event = unlockLinkEvent({ email: uniqueEmail('hook'), locale: 'zh-CN' });
    await publish(event);
    const [call] = await waitFor(() => (callsFor(event.eventId).length > 0 ? callsFor(event.eventId) : null), {
      what: 'the webhook call',
    });
    const headers = {
      'webhook-id': String(call?.headers['webhook-id']),
      'webhook-timestamp': String(call?.headers['webhook-timestamp']),
      'webhook-signature': String(call?.headers['webhook-signature']),
    };
    const verified = new Webhook(WEBHOOK_SECRET).verify(call?.body ?? '', headers) as {
      type: string;
      data: { kind: string; locale: string; link: string };
    };
    expect(verified.type).toBe('notification.unlock_link');
    expect(verified.data).toMatchObject({ kind: 'unlock_link', locale: 'zh-CN' });
    expect(verified.data.link).toContain(`#token=${encodeURIComponent(event.payload.token)}`);
    const otherSecret = `whsec_${Buffer.from('another-secret-of-32-bytes-long!').toString('base64')}`;
    expect(() => new Webhook(otherSecret).verify(call?.body ?? '', headers)).toThrow();
    expect(() => new Webhook(WEBHOOK_SECRET).verify(`${call?.body} `, headers)).toThrow();
  });

  it('sends nothing twice when the same event arrives again', async () => {
    const event = unlockLinkEvent({ email: uniqueEmail('again'), locale: 'en' });
    await publish(event);
    await smtp.waitFor((m) => m.envelope.to.includes(event.payload.email));
    await publish(event);
    await publish(event);
    const marker = unlockLinkEvent({ email: uniqueEmail('marker'), locale: 'en', accountId: event.accountId });
    await publish(marker);
    await smtp.waitFor((m) => m.envelope.to.includes(marker.payload.email));
    await waitFor(() => callsFor(marker.eventId).length === 1, { what: "the marker's webhook" });
    expect(mailsTo(event.payload.email)).toHaveLength(1);
    expect(callsFor(event.eventId)).toHaveLength(1);
    const rows = (await notifier.deliveries(event.accountId)).filter((d) => d.eventId === event.eventId);
    expect(rows.map((d) => `${d.channel}:${d.status}:${d.attempts}`).sort()).toEqual([
      'email:sent:1',
      'webhook:sent:1',
    ]);
  });

  it('records an SMTP 5xx as failed with the reason and does not retry it', async () => {
    const event = unlockLinkEvent({ email: uniqueEmail('bounce'), locale: 'en' });
    smtp.respondWith(550, { message: 'No such user here', times: 1 });
    const refusedBefore = smtp.refused;
    await publish(event);
    const failed = await waitFor(
      async () =>
        (await notifier.deliveries(event.accountId)).find((d) => d.channel === 'email' && d.status === 'failed'),
      { what: 'the failed delivery' },
    );
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toMatch(/550/);
    expect(smtp.refused - refusedBefore).toBe(1);
    // The partition moves on: the next message goes out.
    const next = unlockLinkEvent({ email: uniqueEmail('after-bounce'), locale: 'en', accountId: event.accountId });
    await publish(next);
    await smtp.waitFor((m) => m.envelope.to.includes(next.payload.email));
    expect(mailsTo(event.payload.email)).toHaveLength(0);
    expect(smtp.refused - refusedBefore).toBe(1);
  });

  it('holds messages while the mail server is down and sends each once when it is back; the webhook is not held', async () => {
    await smtp.stop();
    const events = [0, 1, 2].map((i) => unlockLinkEvent({ email: uniqueEmail(`outage-${i}`), locale: 'zh-CN' }));
    for (const event of events) await publish(event);
    // The first waits, retrying; its webhook went out meanwhile.
    const first = events[0] as (typeof events)[number];
    // (A pooled connection the server dropped may fail the first attempt with a 421 first.)
    const retrying = await waitFor(
      async () =>
        (await notifier.deliveries(first.accountId)).find(
          (d) => d.channel === 'email' && d.status === 'retrying' && /connection refused/i.test(d.lastError ?? ''),
        ),
      { what: 'a delivery retrying after "connection refused"' },
    );
    expect(retrying.nextAttemptAt).not.toBeNull();
    await waitFor(() => callsFor(first.eventId).length === 1, { what: 'the webhook while SMTP is down' });
    await smtp.start();
    for (const event of events) await smtp.waitFor((m) => m.envelope.to.includes(event.payload.email), 20_000);
    for (const event of events) {
      // The server has the message before the notifier records its answer: wait for the record.
      await waitFor(
        async () =>
          (await notifier.deliveries(event.accountId)).find((d) => d.channel === 'email' && d.status === 'sent'),
        { what: 'the e-mail recorded as sent' },
      );
      expect(mailsTo(event.payload.email)).toHaveLength(1);
    }
  });

  it('dead-letters a record that is not a notification and keeps going', async () => {
    const dlq = await kafka.collect(`${TOPICS.notifications}.dlq`);
    const accountId = randomUUID();
    await kafka.produce(TOPICS.notifications, [{ key: accountId, value: '{"not": json' }]);
    const unknownType = { ...unlockLinkEvent({ email: uniqueEmail('x'), locale: 'en', accountId }) };
    await kafka.produce(TOPICS.notifications, [
      { key: accountId, value: JSON.stringify({ ...unknownType, type: 'notification.carrier_pigeon' }) },
    ]);
    const after = unlockLinkEvent({ email: uniqueEmail('after-poison'), locale: 'en', accountId });
    await publish(after);
    await smtp.waitFor((m) => m.envelope.to.includes(after.payload.email));
    await waitFor(() => dlq.filter((m) => m.key === accountId).length === 2, { what: 'two dead letters' });
    expect(
      dlq
        .filter((m) => m.key === accountId)
        .map((m) => m.headers['dlq-error-code'])
        .sort(),
    ).toEqual(['invalid_json', 'schema_violation']);
  });

  it('answers 400 with a stable code for a forged cursor and 401 without a key', async () => {
    const forged = await notifier.server.inject({
      method: 'GET',
      url: `/v1/deliveries?accountId=${randomUUID()}&cursor=bm90LWEtY3Vyc29y`,
      headers: { 'x-api-key': 'dev-internal-key' },
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.code).toBe('NOTIFIER_INVALID_CURSOR');
    const anonymous = await notifier.server.inject({ method: 'GET', url: `/v1/deliveries?accountId=${randomUUID()}` });
    expect(anonymous.statusCode).toBe(401);
    const wallet = await notifier.server.inject({
      method: 'GET',
      url: `/v1/deliveries?accountId=${randomUUID()}`,
      headers: { 'x-api-key': 'dev-wallet-key' },
    });
    expect(wallet.statusCode).toBe(403);
    const noAccount = await notifier.server.inject({
      method: 'GET',
      url: '/v1/deliveries',
      headers: { 'x-api-key': 'dev-internal-key' },
    });
    expect(noAccount.statusCode).toBe(400);
  });
});
