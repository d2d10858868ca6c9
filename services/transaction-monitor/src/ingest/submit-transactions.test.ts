import { describe, expect, it } from 'vitest';
import { walletTx } from '../testing/fixtures';
import { checkBatch } from './submit-transactions';

describe('checking a submitted batch', () => {
  it('answers each item: accepted in the wallet envelope, or refused with the reason', () => {
    const ok = walletTx();
    const { results, events } = checkBatch([
      ok,
      { ...walletTx(), currency: 'XYZ', transactionId: 'tx-bad' },
      ok,
      null,
      { ...walletTx(), transactionId: 'x'.repeat(500) },
    ]);
    expect(results.map((r) => [r.index, r.status, r.error?.code ?? null])).toEqual([
      [0, 'accepted', null],
      [1, 'rejected', 'TXM_INVALID_TRANSACTION'],
      [2, 'rejected', 'TXM_DUPLICATE_IN_BATCH'],
      [3, 'rejected', 'TXM_INVALID_TRANSACTION'],
      [4, 'rejected', 'TXM_INVALID_TRANSACTION'],
    ]);
    expect(results[1]).toMatchObject({
      transactionId: 'tx-bad',
      error: { message: 'currency: is not an ISO 4217 currency code' },
    });
    expect(results[3]?.transactionId).toBeNull();
    expect(results[4]?.transactionId).toHaveLength(128);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'transaction.created',
      version: 1,
      producer: 'wallet',
      accountId: ok.accountId,
      payload: ok,
    });
  });
});
