import { randomUUID } from 'node:crypto';
import { type MuleDestinationDetected, TOPICS, type WalletTransaction } from '@wallet-guard/contracts';
import {
  createTestDatabase,
  type ReceivedMessage,
  type TestDatabase,
  type TestKafka,
  waitFor,
} from '@wallet-guard/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMonitoredTransaction } from '../profiles/monitored-transaction';
import { evaluateInOrder } from '../scoring/evaluate';
import { at, MINUTE, securityEntry, shippedRules, walletTx } from '../testing/fixtures';
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
import { loadNetwork, saveNetwork } from './network-step';

const rules = shippedRules();
const params = rules.mule_destination;
const thresholds = { review: 30, theft: 70 };

let kafka: TestKafka;
let database: TestDatabase;
const monitors: RunningMonitor[] = [];
let announced: ReceivedMessage[];

beforeAll(async () => {
  kafka = await testTopics();
  database = await createTestDatabase({ poolMax: 12 });
  announced = await kafka.collect(TOPICS.muleDestinations);
});

afterAll(async () => {
  for (const monitor of monitors) await monitor.close();
  await kafka.cleanup();
  await database.drop();
});

const transfer = (accountId: string, destination: string, when: number, amountMinor = '40000'): WalletTransaction =>
  walletTx({
    accountId,
    type: 'transfer_out',
    amountMinor,
    counterparty: { id: destination, kind: 'bank_account' },
    occurredAt: at(when),
  });

/** One consumer's batch through the network step, in its own database transaction. */
async function applyBatch(db: TestDatabase, txs: WalletTransaction[], signed: boolean) {
  return db.db.transaction().execute(async (trx) => {
    const monitored = txs.map(toMonitoredTransaction);
    const destinations = await loadNetwork(trx, monitored, params);
    const timelines = new Map(
      monitored.map((tx) => [
        tx.accountId,
        signed ? [securityEntry('password.reset', tx.at - 5 * MINUTE, { accountId: tx.accountId })] : [],
      ]),
    );
    const result = evaluateInOrder(
      monitored,
      { profiles: new Map(), counterparties: new Map(), timelines, destinations },
      rules,
      thresholds,
    );
    // Give the others a chance to run between the read and the write.
    await new Promise((resolve) => setTimeout(resolve, 20));
    return saveNetwork(trx, result.network, [], params, 'test', new Date());
  });
}

const outbox = async (db: TestDatabase, counterparty: string) =>
  (
    await sql<{ payload: MuleDestinationDetected }>`
      select payload from outbox where topic = ${TOPICS.muleDestinations} and message_key = ${counterparty}`.execute(
      db.db,
    )
  ).rows.map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as MuleDestinationDetected);

describe('the destination aggregate under concurrent consumers', () => {
  it('loses no payer, payment or amount when eight batches pay one destination at once, and announces every account', async () => {
    const destination = `IBAN-RING-${randomUUID().slice(0, 8)}`;
    const now = Date.now() - 30 * MINUTE;
    const shared = randomUUID();
    // Eight partitions, four accounts each, plus one account paying in every batch (a duplicate
    // delivery after a rebalance hands one account's transactions to two consumers).
    const batches = Array.from({ length: 8 }, (_, b) => [
      ...Array.from({ length: 4 }, (_, i) => transfer(randomUUID(), destination, now + (b * 4 + i) * 1000)),
      transfer(shared, destination, now + b * 1000, '100'),
    ]);
    await Promise.all(batches.map((batch) => applyBatch(database, batch, true)));

    const { rows } = await sql<{ payers: string; payments: string; shared_payments: number; amounts: unknown }>`
      select count(*)::text as payers, sum(payments)::text as payments,
        max(payments) filter (where account_id = ${shared}) as shared_payments,
        jsonb_agg(amounts) as amounts
      from monitor_destination_payers where counterparty = ${`bank_account:${destination}`}`.execute(database.db);
    expect(rows[0]).toMatchObject({ payers: '33', payments: '40', shared_payments: 8 });
    const total = ((rows[0]?.amounts ?? []) as { EUR: string }[]).reduce((sum, a) => sum + BigInt(a.EUR), 0n);
    expect(total).toBe(32n * 40_000n + 8n * 100n);

    // Each batch saw the ones committed before it (the destination's lock): the revisions rise one
    // by one and the last lists all 33 accounts.
    const events = await outbox(database, `bank_account:${destination}`);
    const revisions = events.map((e) => e.payload.revision).sort((a, b) => a - b);
    expect(revisions).toEqual(Array.from({ length: revisions.length }, (_, i) => i + 1));
    const last = events.find((e) => e.payload.revision === revisions.length);
    expect(last?.payload.accounts).toHaveLength(33);
    expect(last?.payload.accounts.find((a) => a.accountId === shared)).toMatchObject({
      payments: 8,
      amounts: [{ currency: 'EUR', amountMinor: '800' }],
    });
    expect(last?.payload.received).toEqual([{ currency: 'EUR', amountMinor: String(32 * 40_000 + 800) }]);
    const { rows: incident } = await sql<{ revision: number }>`
      select revision from monitor_destinations where counterparty = ${`bank_account:${destination}`}`.execute(
      database.db,
    );
    expect(incident[0]?.revision).toBe(revisions.length);
  });

  it('announces nothing while the payers show no takeover signs', async () => {
    const destination = `IBAN-CLUB-${randomUUID().slice(0, 8)}`;
    const now = Date.now() - 30 * MINUTE;
    await Promise.all(
      [0, 1, 2].map((b) =>
        applyBatch(
          database,
          [0, 1].map((i) => transfer(randomUUID(), destination, now + (b * 2 + i) * 1000)),
          false,
        ),
      ),
    );
    expect(await outbox(database, `bank_account:${destination}`)).toEqual([]);
  });
});

describe('a mule ring through the monitor on Kafka', () => {
  it('flags payments to the shared destination, announces the incident once, then updates it as more accounts pay', async () => {
    const monitor = await startMonitor({ kafka, database });
    monitors.push(monitor);
    const destination = `bc1q${randomUUID().replaceAll('-', '')}`;
    const key = `crypto_address:${destination}`;
    const now = Date.now() - 2 * 3_600_000;
    const ring = Array.from({ length: 5 }, () => randomUUID());
    const signIns = ring.map((accountId, i) =>
      securityEvent('sign_in.succeeded', accountId, at(now + i * 10 * MINUTE - 5 * MINUTE), {
        sessionId: randomUUID(),
        amr: ['pwd'],
        newDevice: true,
        newIp: true,
        context: { ip: '203.0.113.9', deviceId: 'ring-laptop', country: 'NL' },
      }),
    );
    await kafka.produce(TOPICS.securityEvents, signIns.map(asRecord));
    await waitFor(
      () =>
        storedSecurityEvents(
          monitor.db.db,
          signIns.map((e) => e.eventId),
        ),
      { what: 'security events stored' },
    );
    const drains = ring.map((accountId, i) =>
      walletTx({
        accountId,
        type: 'transfer_out',
        amountMinor: String(20_000 + i * 1_000),
        counterparty: { id: destination, kind: 'crypto_address' },
        context: { deviceId: 'ring-laptop', country: 'NL' },
        occurredAt: at(now + i * 10 * MINUTE),
      }),
    );
    // The first three accounts: the incident opens with the third.
    for (const tx of drains.slice(0, 3)) {
      await kafka.produce(TOPICS.walletTransactions, [asRecord(transactionEvent(tx))]);
      await waitFor(() => flagOf(monitor.db.db, tx.transactionId), { what: 'flag of a drain' });
    }
    const mine = () => announced.filter((m) => m.key === key).map((m) => m.json<MuleDestinationDetected>());
    await waitFor(() => mine().length === 1, { what: 'the incident announced' });
    expect(mine()[0]?.payload).toMatchObject({
      incidentKey: key,
      destination: { kind: 'crypto_address', id: destination },
      revision: 1,
      window: { hours: 24, newPayers: 3, newPayersWithSigns: 3 },
    });
    expect(mine()[0]?.payload.accounts.map((a) => a.accountId)).toEqual(ring.slice(0, 3));
    expect(mine()[0]?.accountId).toBe(ring[2]);

    // The fourth account: the mule rule judges its payment, and the incident is updated.
    for (const tx of drains.slice(3)) {
      await kafka.produce(TOPICS.walletTransactions, [asRecord(transactionEvent(tx))]);
      await waitFor(() => flagOf(monitor.db.db, tx.transactionId), { what: 'flag of a drain' });
    }
    const fourth = await flagOf(monitor.db.db, drains[3]?.transactionId as string);
    expect(fourth?.reasons.find((r) => r.rule === 'mule_destination')?.detail).toBe(
      '3 other accounts started paying this crypto address in the last 24 hours; 3 of them showed takeover signs',
    );
    await waitFor(() => mine().length === 3, { what: 'two updates' });
    const last = mine()[2]?.payload;
    expect(last?.revision).toBe(3);
    expect(last?.incidentOpenedAt).toBe(mine()[0]?.payload.incidentOpenedAt);
    expect(last?.accounts.map((a) => a.accountId)).toEqual(ring);
    const flagged = last?.accounts.find((a) => a.accountId === ring[4]);
    expect(flagged?.decision).not.toBeNull();
    expect(flagged?.flagIds).toHaveLength(1);
    expect(flagged?.securityChangeAt).toBe(signIns[4]?.occurredAt);

    // Delivered again (same transaction ids): nothing counted twice, nothing announced again.
    await kafka.produce(
      TOPICS.walletTransactions,
      drains.map((tx) => asRecord(transactionEvent(tx))),
    );
    const marker = walletTx({ accountId: ring[0], amountMinor: '100' });
    await kafka.produce(TOPICS.walletTransactions, [asRecord(transactionEvent(marker))]);
    await waitFor(
      async () =>
        (
          await sql<{
            n: string;
          }>`select count(*)::text as n from monitor_transactions where transaction_id = ${marker.transactionId}`.execute(
            monitor.db.db,
          )
        ).rows[0]?.n === '1',
      { what: 'the marker applied after the duplicates' },
    );
    const { rows } = await sql<{ n: string; payments: string }>`
      select count(*)::text as n, sum(payments)::text as payments from monitor_destination_payers
      where counterparty = ${key}`.execute(monitor.db.db);
    expect(rows[0]).toEqual({ n: '5', payments: '5' });
    expect(mine()).toHaveLength(3);
  });
});
