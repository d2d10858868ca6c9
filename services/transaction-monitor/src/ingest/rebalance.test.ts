import { randomUUID } from 'node:crypto';
import { TOPICS, type WalletTransaction } from '@wallet-guard/contracts';
import { createTestDatabase, type TestDatabase, type TestKafka, waitFor } from '@wallet-guard/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMonitoredTransaction } from '../profiles/monitored-transaction';
import { counterpartyKey } from '../profiles/profile-state';
import { evaluateInOrder } from '../scoring/evaluate';
import { at, HOUR, MINUTE, shippedRules, walletTx } from '../testing/fixtures';
import {
  appliedEvents,
  asRecord,
  type RunningMonitor,
  startMonitor,
  testTopics,
  transactionEvent,
} from '../testing/harness';

let kafka: TestKafka;
let database: TestDatabase;
const monitors: RunningMonitor[] = [];

beforeAll(async () => {
  kafka = await testTopics();
  database = await createTestDatabase({ poolMax: 12 });
});

afterAll(async () => {
  for (const monitor of monitors) await monitor.close();
  await kafka.cleanup();
  await database.drop();
});

/** 200 accounts, 15 transactions each over a day: payments, transfers to friends, a few withdrawals. */
function stream(): WalletTransaction[] {
  const start = Date.now() - 2 * 24 * HOUR;
  const accounts = Array.from({ length: 200 }, () => randomUUID());
  const txs: WalletTransaction[] = [];
  for (let step = 0; step < 15; step++) {
    for (const [a, accountId] of accounts.entries()) {
      const amount = 1_000 + ((a * 37 + step * 101) % 50) * 300 + (step === 12 && a % 10 === 0 ? 400_000 : 0);
      txs.push(
        walletTx({
          accountId,
          type: step % 7 === 6 ? 'withdrawal' : step % 5 === 4 ? 'transfer_out' : 'payment',
          amountMinor: String(amount),
          balanceAfterMinor: String(Math.max(0, 600_000 - step * 20_000 - amount)),
          // Transfers go to each account's own friends: 200 accounts newly paying one wallet is a
          // network pattern (mule_destination), whose counts depend on how partitions interleave.
          counterparty:
            step % 5 === 4
              ? { id: `friend-${a}-${step}`, kind: 'wallet' }
              : { id: `cp-${(a + step) % 9}`, kind: 'merchant' },
          context: { deviceId: `device-${a % 3}`, country: step === 13 && a % 4 === 0 ? 'PT' : 'DE' },
          occurredAt: at(start + step * HOUR + a * MINUTE),
        }),
      );
    }
  }
  return txs;
}

const produce = (txs: WalletTransaction[]) =>
  kafka.produce(
    TOPICS.walletTransactions,
    txs.map((tx) => asRecord(transactionEvent(tx))),
  );
const applied = async () =>
  Number(
    (await sql<{ n: string }>`select count(*)::text as n from monitor_transactions`.execute(database.db)).rows[0]?.n,
  );

describe('two instances in one consumer group', () => {
  it('share the stream through rebalances (one joins, one leaves) and end with the statistics of a clean run', async () => {
    const txs = stream();
    const third = txs.length / 3;
    const first = await startMonitor({ kafka, database });
    monitors.push(first);
    await produce(txs.slice(0, third));
    await waitFor(async () => (await applied()) > 0, { what: 'the first instance consuming' });

    const second = await startMonitor({ kafka, database });
    monitors.push(second);
    await produce(txs.slice(third, 2 * third));
    await waitFor(async () => (await appliedEvents(second)) > 0, { what: 'the second instance taking partitions' });
    await first.close();
    monitors.splice(monitors.indexOf(first), 1);
    await produce(txs.slice(2 * third));
    await waitFor(async () => (await applied()) === txs.length, {
      what: 'every transaction applied',
      timeoutMs: 60_000,
    });
    expect((await appliedEvents(first)) + (await appliedEvents(second))).toBeGreaterThanOrEqual(txs.length);
    expect(await appliedEvents(first)).toBeGreaterThan(0);

    // The same stream scored in one pass, in memory: what a single, never-interrupted instance gives.
    const clean = evaluateInOrder(
      txs.map(toMonitoredTransaction),
      { profiles: new Map(), counterparties: new Map(), timelines: new Map() },
      shippedRules(),
      { review: 30, theft: 70 },
    );
    const profiles = await database.db
      .selectFrom('monitor_account_profiles')
      .select(['account_id', 'state', 'transaction_count'])
      .execute();
    expect(profiles).toHaveLength(clean.profiles.size);
    for (const row of profiles) {
      const expected = clean.profiles.get(row.account_id);
      expect(row.state).toEqual(expected?.state);
      expect(Number(row.transaction_count)).toBe(15);
    }
    const counterparties = await database.db.selectFrom('monitor_counterparties').selectAll().execute();
    const known = counterparties.map((c) => [
      counterpartyKey(c.account_id, c.counterparty),
      { since: c.first_paid_at.getTime(), last: c.last_amount_minor },
    ]);
    expect(new Map(known as [string, { since: number; last: string }][])).toEqual(clean.counterparties);
    const flags = await database.db
      .selectFrom('monitor_flags')
      .select(['transaction_id', 'score', 'decision'])
      .execute();
    const expectedFlags = clean.evaluated
      .filter((e) => e.outcome.reasons.length > 0)
      .map((e) => ({ transaction_id: e.tx.transactionId, score: e.outcome.score, decision: e.outcome.decision }));
    expect(expectedFlags.length).toBeGreaterThan(20);
    const byId = (a: { transaction_id: string }, b: { transaction_id: string }) =>
      a.transaction_id.localeCompare(b.transaction_id);
    expect(flags.sort(byId)).toEqual(expectedFlags.sort(byId));
  });
});
