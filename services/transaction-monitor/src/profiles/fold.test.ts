import { describe, expect, it } from 'vitest';
import { at, DAY, HOUR, monitored, T0 } from '../testing/fixtures';
import { foldTransaction, learnCounterparty } from './fold';
import { newProfileRecord, PROFILE_LIMITS } from './profile-state';
import { medianAndMad } from './statistics';

const account = '4b1e0c47-3a59-4d0c-9a41-5c2d1f0e8a11';
const fold = (n: number, make: (i: number) => Parameters<typeof monitored>[0], learn = true) => {
  let record = newProfileRecord(account);
  for (let i = 0; i < n; i++) record = foldTransaction(record, monitored({ accountId: account, ...make(i) }), learn);
  return record;
};

describe('account profile', () => {
  it('computes median and MAD of minor-unit amounts', () => {
    expect(medianAndMad(['1', '2', '3', '4', '100'])).toEqual({ median: 3n, mad: 1n });
    expect(medianAndMad(['20', '10'])).toEqual({ median: 10n, mad: 0n });
    expect(medianAndMad(['900', '1000', '80', '3000'])).toEqual({ median: 900n, mad: 100n });
    expect(() => medianAndMad([])).toThrow();
  });

  it('keeps median and MAD exact over the whole 64-bit range (no double on the way)', () => {
    expect(medianAndMad(Array(5).fill('9007199254740993'))).toEqual({ median: 9007199254740993n, mad: 0n });
    const max = '9223372036854775807';
    expect(medianAndMad(['0', max, max])).toEqual({ median: 9223372036854775807n, mad: 0n });
    expect(medianAndMad(['9007199254740993', '9007199254740995', '1'])).toEqual({
      median: 9007199254740993n,
      mad: 2n,
    });
  });

  it('learns outgoing amounts per currency, devices and countries, within bounds', () => {
    const record = fold(PROFILE_LIMITS.amountsPerCurrency + 10, (i) => ({
      amountMinor: String(100 + i),
      counterparty: { id: `shop-${i % 3}`, kind: 'merchant' },
      context: { deviceId: `device-${i}`, country: 'DE' },
      occurredAt: at(T0 + i * HOUR),
    }));
    expect(record.state.amounts.EUR).toHaveLength(PROFILE_LIMITS.amountsPerCurrency);
    expect(record.state.amounts.EUR?.[0]).toBe('110');
    expect(record.state.devices).toHaveLength(PROFILE_LIMITS.devices);
    expect(record.state.countries).toEqual(['DE']);
    expect(record.transactionCount).toBe(60);
    expect(record.firstSeenAt?.getTime()).toBe(T0);
    expect(record.lastActivityAt?.getTime()).toBe(T0 + 59 * HOUR);
  });

  it('keeps only the last day of outgoing transactions for the window rules, incoming ones not at all', () => {
    const record = fold(30, (i) => ({ type: i % 2 === 0 ? 'payment' : 'deposit', occurredAt: at(T0 + i * 2 * HOUR) }));
    // Outgoing every 4 hours up to 56 h: the last day before the latest one is 36 h to 56 h.
    expect(record.state.recent.map((e) => e.at)).toEqual(
      Array.from({ length: 6 }, (_, k) => T0 + (36 + 4 * k) * HOUR).filter((t) => t > T0 + 56 * HOUR - DAY),
    );
    expect(record.state.amounts.EUR).toHaveLength(15);
  });

  it('does not learn from a transaction decided suspected_theft, but still counts it', () => {
    const before = fold(1, () => ({ context: { deviceId: 'phone', country: 'DE' } }));
    const after = foldTransaction(
      before,
      monitored({
        accountId: account,
        amountMinor: '999999',
        counterparty: { id: 'x', kind: 'wallet' },
        context: { deviceId: 'thief', country: 'RU' },
        occurredAt: at(T0 + HOUR),
      }),
      false,
    );
    expect(after.state.devices).toEqual(['phone']);
    expect(after.state.countries).toEqual(['DE']);
    expect(after.state.amounts.EUR).toEqual(['5000']);
    expect(after.state.recent).toHaveLength(2);
    expect(after.transactionCount).toBe(2);
    expect(before.state.recent).toHaveLength(1);
  });

  it('learns when a counterparty was first paid and how much it was paid last', () => {
    const first = monitored({ amountMinor: '1200', occurredAt: at(T0) });
    const again = monitored({ amountMinor: '900', occurredAt: at(T0 + HOUR) });
    const known = learnCounterparty(learnCounterparty(null, first), again);
    expect(known).toEqual({ since: T0, last: '900' });
    expect(learnCounterparty(known, monitored({ occurredAt: at(T0 - HOUR) })).since).toBe(T0 - HOUR);
  });

  it('keeps the latest location by event time when transactions arrive out of order', () => {
    const record = fold(2, (i) => ({ context: { lat: 10 + i, lon: 10 }, occurredAt: at(T0 - i * HOUR) }));
    expect(record.state.lastLocation).toEqual({ lat: 10, lon: 10, at: T0 });
    expect(record.state.lastActivityAt).toBe(T0);
  });
});
