// The notifier without a broker (npm start): outbox rows reach it in-process. With SMTP it gives
// up after the configured attempts and says why; without SMTP the e-mails land in the
// development mailbox, which /dev/mailbox shows (and production never serves).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS } from '@wallet-guard/contracts';
import { enqueueEvent } from '@wallet-guard/messaging';
import { noteSecretsIn, type SmtpSink, startSmtpSink, waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningNotifier, startNotifier, unlockLinkEvent } from './testing/harness';

/** Writes `event` to the outbox as auth's transaction would, and wakes the embedded bus. */
async function publishLocally(notifier: RunningNotifier, event: ReturnType<typeof unlockLinkEvent>) {
  noteSecretsIn(event.payload);
  await notifier.infra.db.transaction().execute((trx) => enqueueEvent(trx, 'auth', TOPICS.notifications, event));
  notifier.infra.bus.nudge();
}

describe('embedded notifier with an SMTP server that keeps saying "try later"', () => {
  let smtp: SmtpSink;
  let notifier: RunningNotifier;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    notifier = await startNotifier({ env: { NOTIFIER_SMTP_URL: smtp.url, NOTIFIER_MAX_ATTEMPTS: '3' } });
  });
  afterAll(async () => {
    await notifier.close();
    await smtp.close();
  });

  it('gives up after NOTIFIER_MAX_ATTEMPTS and records why', async () => {
    smtp.respondWith(451, { message: 'Greylisted, try again later' });
    const event = unlockLinkEvent({ email: 'greylisted@example.com', locale: 'en' });
    await publishLocally(notifier, event);
    const failed = await waitFor(
      async () => (await notifier.deliveries(event.accountId)).find((d) => d.status === 'failed'),
      { what: 'the delivery to give up' },
    );
    expect(failed.attempts).toBe(3);
    expect(failed.lastError).toMatch(/^gave up after 3 attempts: .*451/);
    expect(smtp.refused).toBe(3);
    expect(smtp.messages).toHaveLength(0);
    const metrics = await notifier.server.inject({ url: '/metrics' });
    expect(metrics.body).toMatch(
      /notifier_deliveries_total\{kind="unlock_link",channel="email",result="retry",service="notifier"\} 2/,
    );
    expect(metrics.body).toMatch(
      /notifier_deliveries_total\{kind="unlock_link",channel="email",result="failed",service="notifier"\} 1/,
    );
  });
});

describe('embedded notifier without SMTP: the development mailbox', () => {
  let dataDir: string;
  let notifier: RunningNotifier;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'notifier-mailbox-'));
    notifier = await startNotifier({ env: { DATA_DIR: dataDir, NODE_ENV: 'development' } });
  });
  afterAll(async () => {
    await notifier.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps each e-mail in the mailbox and lists it at /dev/mailbox', async () => {
    const zh = unlockLinkEvent({ email: 'wei@example.com', locale: 'zh-CN' });
    await publishLocally(notifier, zh);
    const sent = await waitFor(async () => (await notifier.deliveries(zh.accountId)).find((d) => d.status === 'sent'), {
      what: 'the mailbox delivery',
    });
    expect(sent).toMatchObject({ channel: 'email', kind: 'unlock_link', locale: 'zh-CN', attempts: 1 });
    const page = await notifier.server.inject({ url: '/dev/mailbox' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('wei@example.com');
    expect(page.body).toMatch(/[\u4e00-\u9fff]/);
    const list = await notifier.server.inject({ url: '/dev/mailbox.json' });
    expect(list.json().items).toEqual([
      expect.objectContaining({ to: 'wei@example.com', kind: 'unlock_link', locale: 'zh-CN' }),
    ]);
  });
});

describe('production', () => {
  it('serves no development mailbox', async () => {
    const receiver = 'https://push.wallet.example/hooks';
    const notifier = await startNotifier({
      env: {
        NODE_ENV: 'production',
        NOTIFIER_API_KEYS: `cases:internal:${'a'.repeat(64)}`,
        NOTIFIER_AUTH_API_KEY: 'a-real-internal-key-for-auth',
        NOTIFIER_WEBHOOK_URL: receiver,
        NOTIFIER_LINK_BASE_URL: 'https://account.wallet.example',
        NOTIFIER_WEBHOOK_SECRET: `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`,
        METRICS_REQUIRE_API_KEY: 'false',
      },
    });
    try {
      expect((await notifier.server.inject({ url: '/dev/mailbox' })).statusCode).toBe(404);
    } finally {
      await notifier.close();
    }
  });
});
