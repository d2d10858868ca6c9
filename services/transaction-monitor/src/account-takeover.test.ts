import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type TheftSuspected, TOPICS, type TransactionFlagged } from '@wallet-guard/contracts';
import { type ReceivedMessage, type TestKafka, waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestFreezes } from './auto-freeze/freeze-requests-repo';
import { at, DAY, MINUTE, walletTx } from './testing/fixtures';
import {
  asRecord,
  flagOf,
  type RunningMonitor,
  securityEvent,
  startMonitor,
  storedSecurityEvents,
  testTopics,
  transactionEvent,
} from './testing/harness';

interface AuthCall {
  url: string;
  apiKey: string | undefined;
  body: { actor?: string; reason?: string };
}

/** Stands in for auth's internal API: fails the first freeze with 503, then accepts; 404 for `unknownAccount`. */
function fakeAuth(unknownAccount: string) {
  const calls: AuthCall[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      calls.push({ url: req.url ?? '', apiKey: req.headers['x-api-key'] as string, body: JSON.parse(body) });
      res.statusCode = req.url?.includes(unknownAccount) ? 404 : calls.length === 1 ? 503 : 204;
      res.end();
    });
  });
  return { calls, server };
}

const unknownAccount = randomUUID();
const auth = fakeAuth(unknownAccount);
let kafka: TestKafka;
let monitor: RunningMonitor;
let theftTopic: ReceivedMessage[];
let flagsTopic: ReceivedMessage[];

beforeAll(async () => {
  await new Promise<void>((resolve) => auth.server.listen(0, '127.0.0.1', resolve));
  const { port } = auth.server.address() as AddressInfo;
  kafka = await testTopics();
  monitor = await startMonitor({
    kafka,
    env: {
      MONITOR_AUTO_FREEZE: 'true',
      MONITOR_AUTH_URL: `http://127.0.0.1:${port}`,
      MONITOR_AUTH_API_KEY: 'internal-key-of-the-monitor',
    },
  });
  theftTopic = await kafka.collect(TOPICS.theftSuspected);
  flagsTopic = await kafka.collect(TOPICS.transactionFlags);
});

afterAll(async () => {
  await monitor.close();
  await kafka.cleanup();
  await new Promise((resolve) => auth.server.close(resolve));
});

// The monitor's side only: auth is a stub HTTP server and the security events are built by the
// test. The real services together are covered by tests/e2e.
describe('account takeover in the monitor (auth stubbed, events made by the test)', () => {
  it('new-device sign-in, then 2FA disabled, then a withdrawal to a new counterparty: suspected theft, announced, frozen', async () => {
    const accountId = randomUUID();
    const now = Date.now();
    const grocer = { id: 'grocer-3', kind: 'merchant' as const };
    const history = Array.from({ length: 8 }, (_, i) =>
      walletTx({
        accountId,
        amountMinor: String(3000 + i * 250),
        balanceAfterMinor: String(500000 - i * 3000),
        counterparty: grocer,
        context: { deviceId: 'owner-phone', country: 'DE', ip: '198.51.100.4' },
        occurredAt: at(now - 10 * DAY + i * DAY),
      }),
    );
    await kafka.produce(
      TOPICS.walletTransactions,
      history.map((tx) => asRecord(transactionEvent(tx))),
    );

    const signIn = securityEvent('sign_in.succeeded', accountId, at(now - 20 * MINUTE), {
      sessionId: randomUUID(),
      amr: ['pwd'],
      newDevice: true,
      newIp: true,
      context: { ip: '203.0.113.66', deviceId: 'attacker-laptop', country: 'NL' },
    });
    const twoFactorOff = securityEvent('totp.disabled', accountId, at(now - 12 * MINUTE), {
      context: { ip: '203.0.113.66', deviceId: 'attacker-laptop' },
    });
    await kafka.produce(TOPICS.securityEvents, [signIn, twoFactorOff].map(asRecord));
    await waitFor(() => storedSecurityEvents(monitor.db.db, [signIn.eventId, twoFactorOff.eventId]), {
      what: 'security events stored',
    });

    const withdrawal = walletTx({
      accountId,
      type: 'withdrawal',
      amountMinor: '470000',
      balanceAfterMinor: '2000',
      counterparty: { id: 'NL91ABNA0417164300', kind: 'bank_account', country: 'NL' },
      context: { deviceId: 'attacker-laptop', country: 'NL', ip: '203.0.113.66' },
      occurredAt: at(now),
    });
    await kafka.produce(TOPICS.walletTransactions, [asRecord(transactionEvent(withdrawal))]);

    const flag = await waitFor(() => flagOf(monitor.db.db, withdrawal.transactionId), {
      what: 'the withdrawal flagged',
    });
    expect(flag.decision).toBe('suspected_theft');
    expect(flag.score).toBeGreaterThanOrEqual(70);
    expect(flag.reasons.map((r) => r.rule)).toEqual(
      expect.arrayContaining(['after_security_change', 'new_counterparty_large', 'new_device_or_country']),
    );
    expect(flag.security_event_ids).toEqual([signIn.eventId, twoFactorOff.eventId]);
    const historyFlags = await monitor.db.db
      .selectFrom('monitor_flags')
      .select('decision')
      .where('account_id', '=', accountId)
      .where('transaction_id', '!=', withdrawal.transactionId)
      .execute();
    expect(historyFlags.every((f) => f.decision === 'allow')).toBe(true);

    const theft = await waitFor(() => theftTopic.find((m) => m.key === accountId), { what: 'theft announced' });
    const event = theft.json<TheftSuspected>();
    expect(event.payload).toMatchObject({
      flagIds: [flag.id],
      transactionIds: [withdrawal.transactionId],
      securityEventIds: [signIn.eventId, twoFactorOff.eventId],
      score: flag.score,
      rulesVersion: flag.rules_version,
    });
    const announced = await waitFor(() => flagsTopic.find((m) => m.key === accountId), { what: 'flag announced' });
    expect(announced.json<TransactionFlagged>().payload).toMatchObject({
      flagId: flag.id,
      decision: 'suspected_theft',
    });

    // Auto-freeze: auth fails once (503), the worker retries with backoff, then auth accepts.
    await waitFor(
      async () =>
        (
          await monitor.db.db
            .selectFrom('monitor_freeze_requests')
            .selectAll()
            .where('account_id', '=', accountId)
            .where('status', '=', 'done')
            .executeTakeFirst()
        )?.attempts === 2,
      { what: 'freeze done on the second attempt', timeoutMs: 15_000 },
    );
    const calls = auth.calls.filter((c) => c.url === `/internal/v1/accounts/${accountId}/freeze`);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.apiKey).toBe('internal-key-of-the-monitor');
    expect(calls[0]?.body.actor).toBe('transaction-monitor');
    expect(calls[0]?.body.reason).toContain(flag.id);
  });

  it('asks once per account while a freeze is pending, and gives up on an account auth does not know', async () => {
    const db = monitor.db.db;
    const flagId = randomUUID();
    await db.transaction().execute(async (trx) => {
      await requestFreezes(trx, [{ accountId: unknownAccount, flagId, reason: 'test' }], new Date());
      await requestFreezes(
        trx,
        [{ accountId: unknownAccount, flagId: randomUUID(), reason: 'test again' }],
        new Date(),
      );
    });
    const request = await waitFor(
      () =>
        db
          .selectFrom('monitor_freeze_requests')
          .selectAll()
          .where('account_id', '=', unknownAccount)
          .where('status', '=', 'failed')
          .executeTakeFirst(),
      { what: 'freeze refused', timeoutMs: 10_000 },
    );
    expect(request).toMatchObject({ flag_id: flagId, attempts: 1, last_error: 'auth answered 404' });
    const all = await db
      .selectFrom('monitor_freeze_requests')
      .select('id')
      .where('account_id', '=', unknownAccount)
      .execute();
    expect(all).toHaveLength(1);
    expect(auth.calls.filter((c) => c.url.includes(unknownAccount))).toHaveLength(1);
  });
});
