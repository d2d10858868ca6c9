import { randomUUID } from 'node:crypto';
import { TOPICS, type TransactionFlagged } from '@wallet-guard/contracts';
import { type ReceivedMessage, type TestKafka, waitFor } from '@wallet-guard/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES_FILE, readRulesFile } from '../scoring/rules-store';
import { at, HOUR, walletTx } from '../testing/fixtures';
import {
  asRecord,
  flagOf,
  INTERNAL_KEY,
  type RunningMonitor,
  securityEvent,
  startMonitor,
  storedSecurityEvents,
  testTopics,
  transactionEvent,
  WALLET_KEY,
} from '../testing/harness';
import { ruleScenarios } from '../testing/rule-scenarios';

let kafka: TestKafka;
let monitor: RunningMonitor;
let flagsTopic: ReceivedMessage[];

beforeAll(async () => {
  kafka = await testTopics();
  monitor = await startMonitor({ kafka });
  flagsTopic = await kafka.collect(TOPICS.transactionFlags);
});

afterAll(async () => {
  await monitor.close();
  await kafka.cleanup();
});

const db = () => monitor.db.db;
const announced = (transactionId: string) =>
  flagsTopic.map((m) => m.json<TransactionFlagged>()).filter((e) => e.payload.transactionId === transactionId);

/** Sum of a counter on GET /metrics over the samples carrying `labels`. */
async function counter(name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = (await monitor.server.inject({ url: '/metrics' })).body;
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('transaction pipeline on Kafka and Postgres', () => {
  it('flags each rule end to end, stores the rules version and announces review and theft decisions', async () => {
    const scenarios = ruleScenarios(Date.now() - HOUR, randomUUID);
    const security = scenarios.flatMap((s) => s.security);
    await kafka.produce(TOPICS.securityEvents, security.map(asRecord));
    await waitFor(
      () =>
        storedSecurityEvents(
          db(),
          security.map((e) => e.eventId),
        ),
      { what: 'security events stored' },
    );
    for (const s of scenarios) {
      await kafka.produce(
        TOPICS.walletTransactions,
        [...s.history, s.trigger].map((tx) => asRecord(transactionEvent(tx))),
      );
    }

    for (const s of scenarios) {
      const flag = await waitFor(() => flagOf(db(), s.trigger.transactionId), { what: `flag for ${s.rule}` });
      expect(
        flag.reasons.map((r) => r.rule),
        s.rule,
      ).toContain(s.rule);
      expect(flag.rules_version).toBe(readRulesFile(DEFAULT_RULES_FILE).version);
      expect(flag.score).toBe(
        Math.min(
          100,
          flag.reasons.reduce((sum, r) => sum + r.points, 0),
        ),
      );
      if (flag.decision !== 'allow') {
        await waitFor(() => announced(s.trigger.transactionId).length === 1, { what: `announcement for ${s.rule}` });
        expect(announced(s.trigger.transactionId)[0]?.payload).toMatchObject({
          flagId: flag.id,
          score: flag.score,
          decision: flag.decision,
          shadow: false,
        });
      }
    }
    const takeover = scenarios.find((s) => s.rule === 'after_security_change');
    const withEvidence = await flagOf(db(), takeover?.trigger.transactionId as string);
    expect(withEvidence?.security_event_ids).toEqual(takeover?.security.map((e) => e.eventId));
    expect(await counter('monitor_rule_hits_total', { rule: 'structuring', mode: 'live' })).toBeGreaterThanOrEqual(1);
  });

  it('dead-letters records that do not parse, with the reason, and keeps consuming', async () => {
    const dlq = await kafka.collect(`${TOPICS.walletTransactions}.dlq`);
    const securityDlq = await kafka.collect(`${TOPICS.securityEvents}.dlq`);
    const good = walletTx({ occurredAt: at(Date.now()) });
    const badAmount = transactionEvent(walletTx({ accountId: good.accountId }));
    (badAmount.payload as { amountMinor: string }).amountMinor = '12.50';
    const mismatch = { ...transactionEvent(walletTx()), accountId: good.accountId };
    await kafka.produce(TOPICS.walletTransactions, [
      { key: good.accountId, value: '{"transactionId": oops' },
      { key: good.accountId, value: JSON.stringify(badAmount) },
      { key: good.accountId, value: JSON.stringify(mismatch) },
      { key: good.accountId, value: Buffer.from([0xff, 0xfe, 0x00]) },
      asRecord(transactionEvent(good)),
    ]);
    await kafka.produce(TOPICS.securityEvents, [{ key: good.accountId, value: '[]' }]);

    await waitFor(() => dlq.length === 4 && securityDlq.length === 1, { what: 'dead letters' });
    expect(dlq.map((m) => m.headers['dlq-error-code']).sort()).toEqual([
      'invalid_json',
      'invalid_json',
      'schema_violation',
      'schema_violation',
    ]);
    const amountLetter = dlq.find((m) => m.value === JSON.stringify(badAmount));
    expect(amountLetter?.headers['dlq-error-message']).toContain('payload.amountMinor');
    expect(amountLetter?.headers['dlq-consumer-group']).toBe('transaction-monitor.transactions');
    expect(amountLetter?.headers['dlq-source-topic']).toBe(kafka.topic(TOPICS.walletTransactions));
    expect(dlq.find((m) => m.value === JSON.stringify(mismatch))?.headers['dlq-error-message']).toContain('accountId');
    expect(securityDlq[0]?.headers['dlq-consumer-group']).toBe('transaction-monitor.security-events');
    await waitFor(
      () =>
        db()
          .selectFrom('monitor_transactions')
          .select('transaction_id')
          .where('transaction_id', '=', good.transactionId)
          .executeTakeFirst(),
      { what: 'the valid record after the bad ones applied' },
    );
  });

  it('applies a batch delivered twice once: one flag, unchanged statistics, no second announcement', async () => {
    const accountId = randomUUID();
    const start = Date.now() - HOUR;
    const txs = [0, 1, 2, 3].map((i) =>
      walletTx({
        accountId,
        amountMinor: '4000',
        counterparty: { id: 'cafe', kind: 'merchant' },
        occurredAt: at(start + i * 60_000),
      }),
    );
    const drain = walletTx({
      accountId,
      type: 'withdrawal',
      amountMinor: '300000',
      balanceAfterMinor: '100',
      counterparty: { id: 'bc1-new', kind: 'crypto_address' },
      occurredAt: at(start + 10 * 60_000),
    });
    const events = [...txs, drain].map((tx) => transactionEvent(tx));
    await kafka.produce(TOPICS.walletTransactions, events.map(asRecord));
    const flag = await waitFor(() => flagOf(db(), drain.transactionId), { what: 'the drain flagged' });
    expect(flag.decision).toBe('suspected_theft');
    await waitFor(() => announced(drain.transactionId).length === 1, { what: 'the flag announced' });

    const profile = () =>
      db()
        .selectFrom('monitor_account_profiles')
        .selectAll()
        .where('account_id', '=', accountId)
        .executeTakeFirstOrThrow();
    const before = await profile();
    const applied = await counter('events_applied_total', { group: 'transaction-monitor.transactions' });
    const duplicates = await counter('monitor_transactions_duplicate_total');

    // The same records again, then the same transactions under new eventIds: both are dropped on
    // transactionId (this handler skips the bus's eventId inbox).
    await kafka.produce(TOPICS.walletTransactions, events.map(asRecord));
    await kafka.produce(
      TOPICS.walletTransactions,
      [...txs, drain].map((tx) => asRecord(transactionEvent(tx))),
    );
    await waitFor(
      async () =>
        (await counter('events_applied_total', { group: 'transaction-monitor.transactions' })) >= applied + 10,
      { what: 'both redeliveries consumed' },
    );
    expect(await counter('monitor_transactions_duplicate_total')).toBe(duplicates + 10);
    expect(await profile()).toEqual(before);
    expect(Number(before.transaction_count)).toBe(5);
    const flags = await db().selectFrom('monitor_flags').select('id').where('account_id', '=', accountId).execute();
    expect(flags.map((f) => f.id)).toEqual([flag.id]);
    // An announcement is written with the flag, in the same transaction: the outbox, not a pause
    // for the broker, shows there is no second one.
    const announcements = await db()
      .selectFrom('outbox')
      .select('event_id')
      .where('topic', '=', TOPICS.transactionFlags)
      .where(sql<string>`payload->'payload'->>'transactionId'`, '=', drain.transactionId)
      .execute();
    expect(announcements).toHaveLength(1);
    expect(announced(drain.transactionId)).toHaveLength(1);
  });

  it('stores what each transaction was and its whole payload; a redelivery under a new eventId changes none of it', async () => {
    const accountId = randomUUID();
    const paid = walletTx({
      accountId,
      type: 'transfer_out',
      amountMinor: '123456',
      currency: 'JPY',
      balanceAfterMinor: '-50',
      counterparty: { id: 'DE89370400440532013000', kind: 'bank_account', country: 'DE' },
      channel: 'app',
      context: { ip: '203.0.113.9', deviceId: 'phone-1', country: 'DE', lat: 52.52, lon: 13.4 },
      occurredAt: '2026-11-20T11:59:58.123Z',
    });
    const plain = walletTx({ accountId, type: 'deposit', occurredAt: at(Date.now() - HOUR) });
    await kafka.produce(
      TOPICS.walletTransactions,
      [paid, plain].map((tx) => asRecord(transactionEvent(tx))),
    );
    const stored = () =>
      db()
        .selectFrom('monitor_transactions')
        .select([
          'transaction_id',
          'account_id',
          'type',
          'amount_minor',
          'currency',
          'counterparty_id',
          'counterparty_kind',
          'counterparty_country',
          'occurred_at',
          'payload',
        ])
        .where('account_id', '=', accountId)
        .orderBy('occurred_at')
        .execute();
    const rows = await waitFor(async () => ((await stored()).length === 2 ? stored() : undefined), {
      what: 'both transactions applied',
    });
    expect(rows).toEqual([
      {
        transaction_id: paid.transactionId,
        account_id: accountId,
        type: 'transfer_out',
        amount_minor: '123456',
        currency: 'JPY',
        counterparty_id: 'DE89370400440532013000',
        counterparty_kind: 'bank_account',
        counterparty_country: 'DE',
        occurred_at: new Date('2026-11-20T11:59:58.123Z'),
        payload: paid,
      },
      {
        transaction_id: plain.transactionId,
        account_id: accountId,
        type: 'deposit',
        amount_minor: '5000',
        currency: 'EUR',
        counterparty_id: null,
        counterparty_kind: null,
        counterparty_country: null,
        occurred_at: new Date(plain.occurredAt),
        payload: plain,
      },
    ]);

    // The wallet resends the transfer under a new eventId with other details: the first one stays.
    const duplicates = await counter('monitor_transactions_duplicate_total');
    await kafka.produce(TOPICS.walletTransactions, [
      asRecord(transactionEvent({ ...paid, amountMinor: '1', counterparty: { id: 'x', kind: 'wallet' } })),
    ]);
    await waitFor(async () => (await counter('monitor_transactions_duplicate_total')) > duplicates, {
      what: 'the resend consumed',
    });
    expect(await stored()).toEqual(rows);
  });

  it('takes transactions over HTTP with per-item answers and produces them into the same pipeline', async () => {
    const accountId = randomUUID();
    const ok = walletTx({ accountId, occurredAt: at(Date.now()) });
    const drain = walletTx({
      accountId,
      type: 'withdrawal',
      amountMinor: '90000',
      balanceAfterMinor: '0',
      occurredAt: at(Date.now()),
    });
    const res = await monitor.server.inject({
      method: 'POST',
      url: '/v1/transactions',
      headers: WALLET_KEY,
      payload: { transactions: [ok, { ...ok, amountMinor: '-5' }, drain, ok, 'nonsense'] },
    });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ accepted: 2, rejected: 3 });
    expect(body.results.map((r: { status: string; error?: { code: string } }) => r.error?.code ?? r.status)).toEqual([
      'accepted',
      'TXM_INVALID_TRANSACTION',
      'accepted',
      'TXM_DUPLICATE_IN_BATCH',
      'TXM_INVALID_TRANSACTION',
    ]);
    expect(body.results[1].error.message).toContain('amountMinor');
    const flag = await waitFor(() => flagOf(db(), drain.transactionId), { what: 'the HTTP transaction scored' });
    expect(flag.reasons.map((r) => r.rule)).toContain('balance_drain');
  });

  it('keeps the security timeline of every event type; a redelivered event shows once and is not dead-lettered', async () => {
    const accountId = randomUUID();
    const events = [
      securityEvent('sign_in.succeeded', accountId, at(Date.now() - 60_000), {
        sessionId: randomUUID(),
        amr: ['pwd'],
        newDevice: true,
        newIp: false,
        context: { ip: '203.0.113.5', deviceId: 'dev-9', country: 'FR' },
      }),
      securityEvent('account.frozen', accountId, at(Date.now()), { by: 'user' }),
    ];
    const group = { group: 'transaction-monitor.security-events' };
    const deadLettered = await counter('events_dead_lettered_total', group);
    // Each event delivered twice, then a later one: once that is stored, the repeats were consumed.
    const later = securityEvent('password.changed', accountId, at(Date.now() + 1_000), {});
    await kafka.produce(TOPICS.securityEvents, [...events, ...events].map(asRecord));
    await kafka.produce(TOPICS.securityEvents, [later].map(asRecord));
    await waitFor(() => storedSecurityEvents(db(), [later.eventId]), { what: 'the later event stored' });
    // What an agent sees: each event once, none dead-lettered on the way.
    const risk = await monitor.server.inject({
      method: 'GET',
      url: `/v1/accounts/${accountId}/risk`,
      headers: INTERNAL_KEY,
    });
    expect(risk.statusCode).toBe(200);
    const shown = (risk.json() as { recentSecurityEvents: { eventId: string; type: string }[] }).recentSecurityEvents;
    expect(shown.map((e) => e.eventId).sort()).toEqual([...events, later].map((e) => e.eventId).sort());
    expect(await counter('events_dead_lettered_total', group)).toBe(deadLettered);
    const rows = await db()
      .selectFrom('monitor_security_events')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('event_id', '!=', later.eventId)
      .orderBy('occurred_at')
      .execute();
    expect(rows.map((r) => [r.type, r.device_id, r.ip, r.country, r.new_device, r.new_ip])).toEqual([
      ['sign_in.succeeded', 'dev-9', '203.0.113.5', 'FR', true, false],
      ['account.frozen', null, null, null, null, null],
    ]);
  });
});
