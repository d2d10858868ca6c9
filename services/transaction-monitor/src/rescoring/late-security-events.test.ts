import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SecurityEvent, type TheftSuspected, TOPICS, type TransactionFlagged } from '@wallet-guard/contracts';
import { type TestKafka, waitFor } from '@wallet-guard/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DEFAULT_RULES_FILE } from '../scoring/rules-store';
import { at, DAY, MINUTE, walletTx } from '../testing/fixtures';
import {
  asRecord,
  flagOf,
  type RunningMonitor,
  securityEvent,
  startMonitor,
  storedSecurityEvents,
  testTopics,
  transactionEvent,
} from '../testing/harness';

// A monitor on Kafka and Postgres with a lateness of 300 s and its own copy of the rules file
// (the last test lowers a weight under it). Transactions are applied first, then the security
// events that preceded them arrive: the order Kafka allows across the two topics.
let dir: string;
let rulesFile: string;
let kafka: TestKafka;
let monitor: RunningMonitor;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'txm-rescore-'));
  rulesFile = join(dir, 'rules.yaml');
  copyFileSync(DEFAULT_RULES_FILE, rulesFile);
  kafka = await testTopics();
  monitor = await startMonitor({
    kafka,
    env: { MONITOR_RULES_FILE: rulesFile, MONITOR_RULES_WATCH: 'false', MONITOR_RESCORE_LATENESS_SECONDS: '300' },
  });
});

afterAll(async () => {
  await monitor.close();
  await kafka.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const db = () => monitor.db.db;
const home = { deviceId: 'owner-phone', country: 'DE', ip: '198.51.100.4' };
const grocer = { id: 'grocer-9', kind: 'merchant' as const };

/** Five usual 50.00 payments over the last days, on a 5,000.00 balance. */
const usualLife = (accountId: string, now: number) =>
  [5, 4, 3, 2, 1].map((d) =>
    walletTx({
      accountId,
      amountMinor: '5000',
      balanceAfterMinor: String(500000 + d * 5000),
      counterparty: grocer,
      context: home,
      occurredAt: at(now - d * DAY),
    }),
  );

async function applyTransactions(txs: ReturnType<typeof walletTx>[]) {
  await kafka.produce(
    TOPICS.walletTransactions,
    txs.map((tx) => asRecord(transactionEvent(tx))),
  );
  const ids = txs.map((t) => t.transactionId);
  await waitFor(
    async () =>
      (
        await db()
          .selectFrom('monitor_transactions')
          .select('transaction_id')
          .where('transaction_id', 'in', ids)
          .execute()
      ).length === ids.length,
    { what: 'transactions applied' },
  );
}

async function deliverSecurityEvents(events: SecurityEvent[], waitForIds = events.map((e) => e.eventId)) {
  await kafka.produce(TOPICS.securityEvents, events.map(asRecord));
  await waitFor(() => storedSecurityEvents(db(), waitForIds), { what: 'security events stored' });
}

/** What the outbox holds for a transaction: every announcement is written there with its flag. */
async function flagAnnouncementsOf(transactionId: string) {
  const rows = await db()
    .selectFrom('outbox')
    .select('payload')
    .where('topic', '=', TOPICS.transactionFlags)
    .where(sql<string>`payload->'payload'->>'transactionId'`, '=', transactionId)
    .orderBy('id')
    .execute();
  return rows.map((r) => (r.payload as unknown as TransactionFlagged).payload);
}

async function theftAnnouncementsOf(accountId: string) {
  const rows = await db()
    .selectFrom('outbox')
    .select('payload')
    .where('topic', '=', TOPICS.theftSuspected)
    .where('message_key', '=', accountId)
    .execute();
  return rows.map((r) => (r.payload as unknown as TheftSuspected).payload);
}

async function counter(name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = (await monitor.server.inject({ url: '/metrics' })).body;
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** An event that changes no score, for the same account: stored after whatever came before it on the partition. */
const sentinel = (accountId: string, now: number) =>
  securityEvent('sign_in.failed', accountId, at(now), { reason: 'wrong_password', failures: 1, context: home });

describe('security events that arrive after the transactions they preceded', () => {
  it('raise the decision of a transaction scored without them and announce it once; a redelivery announces nothing', async () => {
    const accountId = randomUUID();
    const now = Date.now();
    const cash = walletTx({
      accountId,
      type: 'withdrawal',
      amountMinor: '10000',
      balanceAfterMinor: '490000',
      context: home,
      occurredAt: at(now),
    });
    await applyTransactions([...usualLife(accountId, now), cash]);
    expect(await flagOf(db(), cash.transactionId)).toBeUndefined();

    const reset = securityEvent('password.reset', accountId, at(now - 2 * MINUTE), { context: home });
    const rescoredBefore = await counter('monitor_rescored_total', { outcome: 'raised' });
    await deliverSecurityEvents([reset]);
    const flag = await waitFor(() => flagOf(db(), cash.transactionId), { what: 'the withdrawal flagged' });
    expect(flag).toMatchObject({ decision: 'review', security_event_ids: [reset.eventId] });
    expect(flag.reasons.map((r) => r.rule)).toEqual(['after_security_change']);
    expect(flag.reasons[0]?.detail).toBe('Outgoing 2 minutes after the password was reset');
    expect(await flagAnnouncementsOf(cash.transactionId)).toEqual([
      expect.objectContaining({ flagId: flag.id, decision: 'review', score: flag.score, shadow: false }),
    ]);
    expect(await counter('monitor_rescored_total', { outcome: 'raised' })).toBe(rescoredBefore + 1);

    // The same event again (the inbox drops it), and the same change under a new eventId
    // (rescored: nothing rises), then an event that follows them on the partition.
    const again = securityEvent('password.reset', accountId, at(now - 2 * MINUTE), { context: home });
    const last = sentinel(accountId, now + MINUTE);
    const kept = await counter('monitor_rescored_total', { outcome: 'kept' });
    await deliverSecurityEvents([reset, again, last], [again.eventId, last.eventId]);
    expect(await flagOf(db(), cash.transactionId)).toEqual(flag);
    expect(await flagAnnouncementsOf(cash.transactionId)).toHaveLength(1);
    expect(await counter('monitor_rescored_total', { outcome: 'kept' })).toBe(kept + 1);
  });

  it('raise a review flag to suspected theft in place: the same flag, announced with the theft', async () => {
    const accountId = randomUUID();
    const now = Date.now();
    const emptying = walletTx({
      accountId,
      type: 'withdrawal',
      // 2,900.00 of 3,000.00: under the velocity sums, far above the usual 50.00, emptying the account.
      amountMinor: '290000',
      balanceAfterMinor: '10000',
      context: home,
      occurredAt: at(now),
    });
    await applyTransactions([...usualLife(accountId, now), emptying]);
    const scored = await waitFor(() => flagOf(db(), emptying.transactionId), { what: 'flagged' });
    expect(scored.decision).toBe('review');
    expect(scored.reasons.map((r) => r.rule)).toEqual(['amount_outlier', 'balance_drain']);

    const signIn = securityEvent('sign_in.succeeded', accountId, at(now - 10 * MINUTE), {
      sessionId: randomUUID(),
      amr: ['pwd'],
      newDevice: true,
      newIp: true,
      context: { ip: '203.0.113.66', deviceId: 'attacker-laptop', country: 'NL' },
    });
    const twoFactorOff = securityEvent('totp.disabled', accountId, at(now - 4 * MINUTE), {
      context: { ip: '203.0.113.66', deviceId: 'attacker-laptop' },
    });
    await deliverSecurityEvents([signIn, twoFactorOff]);
    const raised = await waitFor(
      async () => {
        const f = await flagOf(db(), emptying.transactionId);
        return f?.decision === 'suspected_theft' ? f : null;
      },
      { what: 'raised to theft' },
    );
    expect(raised.id).toBe(scored.id);
    expect(raised.created_at).toEqual(scored.created_at);
    expect(raised.reasons.map((r) => r.rule)).toEqual(['amount_outlier', 'after_security_change', 'balance_drain']);
    expect(raised.security_event_ids).toEqual([signIn.eventId, twoFactorOff.eventId]);
    expect((await flagAnnouncementsOf(emptying.transactionId)).map((a) => a.decision)).toEqual([
      'review',
      'suspected_theft',
    ]);
    expect(await theftAnnouncementsOf(accountId)).toEqual([
      expect.objectContaining({
        flagIds: [scored.id],
        transactionIds: [emptying.transactionId],
        securityEventIds: [signIn.eventId, twoFactorOff.eventId],
        score: raised.score,
      }),
    ]);
  });

  it('rescore nothing outside the lateness window, nor for events after the transaction', async () => {
    const accountId = randomUUID();
    const now = Date.now();
    const cash = walletTx({ accountId, type: 'withdrawal', amountMinor: '10000', context: home, occurredAt: at(now) });
    await applyTransactions([...usualLife(accountId, now), cash]);
    const early = securityEvent('password.reset', accountId, at(now - 6 * MINUTE), { context: home });
    const later = securityEvent('totp.disabled', accountId, at(now + MINUTE), { context: home });
    await deliverSecurityEvents([early, later, sentinel(accountId, now + 2 * MINUTE)]);
    expect(await flagOf(db(), cash.transactionId)).toBeUndefined();
    expect(await flagAnnouncementsOf(cash.transactionId)).toEqual([]);
  });

  it('score every transaction with its event exactly once while both topics arrive at the same time', async () => {
    const now = Date.now();
    const pairs = Array.from({ length: 30 }, () => {
      const accountId = randomUUID();
      return {
        tx: walletTx({ accountId, type: 'withdrawal', amountMinor: '10000', context: home, occurredAt: at(now) }),
        event: securityEvent('password.reset', accountId, at(now - MINUTE), { context: home }),
      };
    });
    await Promise.all([
      kafka.produce(
        TOPICS.walletTransactions,
        pairs.map((p) => asRecord(transactionEvent(p.tx))),
      ),
      kafka.produce(
        TOPICS.securityEvents,
        pairs.map((p) => asRecord(p.event)),
      ),
    ]);
    const ids = pairs.map((p) => p.tx.transactionId);
    const flags = await waitFor(
      async () => {
        const rows = await db().selectFrom('monitor_flags').selectAll().where('transaction_id', 'in', ids).execute();
        return rows.length === ids.length && rows.every((r) => r.decision === 'review') ? rows : null;
      },
      { what: 'every transaction flagged with its event' },
    );
    for (const flag of flags) expect(flag.reasons.map((r) => r.rule)).toEqual(['after_security_change']);
    for (const id of ids) expect(await flagAnnouncementsOf(id), id).toHaveLength(1);
  });

  it('leave alone a decision that would fall (a weight lowered since the transaction was scored)', async () => {
    const accountId = randomUUID();
    const now = Date.now();
    const reset = securityEvent('password.reset', accountId, at(now - 3 * MINUTE), { context: home });
    await deliverSecurityEvents([reset]);
    const cash = walletTx({ accountId, type: 'withdrawal', amountMinor: '10000', context: home, occurredAt: at(now) });
    await applyTransactions([...usualLife(accountId, now), cash]);
    const scored = await waitFor(() => flagOf(db(), cash.transactionId), { what: 'flagged' });
    expect(scored.decision).toBe('review');

    const doc = parse(readFileSync(rulesFile, 'utf8'));
    doc.version = 'rescoring-test.1';
    doc.rules.after_security_change.weight = 10;
    writeFileSync(rulesFile, stringify(doc));
    process.emit('SIGHUP', 'SIGHUP');
    await waitFor(async () => (await counter('monitor_rules_reloads_total', { result: 'reloaded' })) >= 1, {
      what: 'rules reloaded',
    });

    const kept = await counter('monitor_rescored_total', { outcome: 'kept' });
    const twoFactorOff = securityEvent('totp.disabled', accountId, at(now - MINUTE), { context: home });
    await deliverSecurityEvents([twoFactorOff]);
    await waitFor(async () => (await counter('monitor_rescored_total', { outcome: 'kept' })) === kept + 1, {
      what: 'rescored and kept',
    });
    expect(await flagOf(db(), cash.transactionId)).toEqual(scored);
    expect(await flagAnnouncementsOf(cash.transactionId)).toHaveLength(1);
  });
});
