import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneMonitorHistory } from './transactions-repo';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('retention', () => {
  it('forgets applied transactions, security events and destination payers older than the retention, and nothing newer', async () => {
    // The clock the monitor would pass: rows are dated relative to it, whatever the wall clock says.
    const now = new Date('2026-11-20T12:00:00.000Z');
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
    const accountId = randomUUID();
    await db.db
      .insertInto('monitor_transactions')
      .values(
        [31, 29].map((d) => ({
          transaction_id: `tx-${d}`,
          account_id: accountId,
          processed_at: daysAgo(d),
        })),
      )
      .execute();
    await db.db
      .insertInto('monitor_security_events')
      .values(
        [40, 1].map((d) => ({
          event_id: randomUUID(),
          account_id: accountId,
          type: 'password.changed',
          occurred_at: daysAgo(d),
          received_at: daysAgo(d),
          ip: null,
          device_id: null,
          country: null,
          new_device: null,
          new_ip: null,
        })),
      )
      .execute();
    await db.db
      .insertInto('monitor_destination_payers')
      .values(
        [45, 2].map((d) => ({
          counterparty: 'bank_account:DE89370400440532013000',
          account_id: d === 45 ? accountId : randomUUID(),
          first_paid_at: daysAgo(d),
          last_paid_at: daysAgo(d),
          payments: 1,
          amounts: JSON.stringify({ EUR: '5000' }),
          security_change_at: null,
          flagged_at: null,
          decision: null,
        })),
      )
      .execute();
    expect(await pruneMonitorHistory(db.db, 30, now)).toEqual({
      transactions: 1,
      securityEvents: 1,
      destinationPayers: 1,
    });
    const left = await db.db.selectFrom('monitor_transactions').select('transaction_id').execute();
    expect(left.map((r) => r.transaction_id)).toEqual(['tx-29']);
    const payers = await db.db.selectFrom('monitor_destination_payers').select('last_paid_at').execute();
    expect(payers.map((r) => r.last_paid_at)).toEqual([daysAgo(2)]);
    expect(await pruneMonitorHistory(db.db, 30, now)).toEqual({
      transactions: 0,
      securityEvents: 0,
      destinationPayers: 0,
    });
  });
});
