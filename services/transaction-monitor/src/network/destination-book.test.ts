import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MonitoredTransaction } from '../profiles/monitored-transaction';
import type { ScoreOutcome } from '../scoring/score';
import { DAY, HOUR, MINUTE, monitored, securityEntry, shippedRules, T0 } from '../testing/fixtures';
import { type DestinationPayer, mergePayers } from './destination-aggregate';
import { DestinationBook, noPayments } from './destination-book';

const params = shippedRules().mule_destination;
const mule = { id: 'IBAN-MULE-1', kind: 'bank_account' as const };
const allowed: ScoreOutcome = {
  score: 0,
  decision: 'allow',
  shadowScore: 0,
  shadowDecision: 'allow',
  reasons: [],
  securityEventIds: [],
};
const flagged = (score: number, muleScore = 0): ScoreOutcome => ({
  ...allowed,
  score,
  decision: score >= 70 ? 'suspected_theft' : 'review',
  reasons: [
    { rule: 'balance_drain', points: score - muleScore, detail: 'x' },
    ...(muleScore > 0 ? [{ rule: 'mule_destination', points: muleScore, detail: 'y' }] : []),
  ],
});
const pay = (accountId: string, when: number, fields: Partial<Parameters<typeof monitored>[0]> = {}) =>
  monitored({
    accountId,
    type: 'transfer_out',
    amountMinor: '50000',
    counterparty: mule,
    occurredAt: new Date(when).toISOString(),
    ...fields,
  });

function run(
  book: DestinationBook,
  tx: MonitoredTransaction,
  outcome = allowed,
  timeline = [] as ReturnType<typeof securityEntry>[],
) {
  const before = book.aggregateFor(tx);
  book.record(tx, outcome, timeline);
  return before;
}

describe('the destination book', () => {
  it('counts distinct other accounts, new payers, takeover signs and amounts, before each payment', () => {
    const book = new DestinationBook(new Map(), params, 30);
    const [a, b, c, d] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    expect(run(book, pay(a, T0))?.windows[0]).toMatchObject({ payers: 0, newPayers: 0 });
    // b signed in from a new device 10 minutes before paying: a takeover sign.
    run(book, pay(b, T0 + MINUTE), allowed, [securityEntry('sign_in.succeeded', T0 - 9 * MINUTE, { newDevice: true })]);
    run(book, pay(b, T0 + 2 * MINUTE, { amountMinor: '1000' }));
    run(book, pay(c, T0 + 3 * MINUTE, { currency: 'GBP' }), flagged(50));
    const seen = run(book, pay(d, T0 + 4 * MINUTE));
    expect(seen?.payerIsNew).toBe(true);
    expect(seen?.windows[0]).toEqual({
      hours: 24,
      payers: 3,
      newPayers: 3,
      newPayersWithSigns: 2,
      payersWithSigns: 2,
      received: { EUR: 101_000n, GBP: 50_000n },
    });
    // a pays again: it is not new any more for a payment a day later, and the others still count.
    const again = book.aggregateFor(pay(a, T0 + DAY + HOUR));
    expect(again?.payerIsNew).toBe(false);
    expect(again?.windows[0].payers).toBe(0);
    expect(again?.windows[1]).toMatchObject({ payers: 3, newPayers: 3 });
  });

  it('does not count its own points as a sign, nor merchants, nor incoming money', () => {
    const book = new DestinationBook(new Map(), params, 30);
    run(book, pay(randomUUID(), T0), flagged(35, 30));
    expect(book.aggregateFor(pay(randomUUID(), T0 + MINUTE))?.windows[0]).toMatchObject({
      newPayers: 1,
      newPayersWithSigns: 0,
    });
    expect(book.aggregateFor(pay(randomUUID(), T0, { counterparty: { id: 'shop', kind: 'merchant' } }))).toBeNull();
    expect(book.aggregateFor(pay(randomUUID(), T0, { type: 'transfer_in' }))).toBeNull();
  });

  it('announces once the incident threshold is crossed, then only when more accounts pay', () => {
    const signs = [securityEntry('password.reset', T0 - 5 * MINUTE)];
    const payers = Array.from({ length: 5 }, () => randomUUID());
    const book = new DestinationBook(new Map(), params, 30);
    run(book, pay(payers[0] as string, T0), allowed, signs);
    run(book, pay(payers[1] as string, T0 + MINUTE), allowed, signs);
    expect(book.incidents()).toEqual([]);
    run(book, pay(payers[2] as string, T0 + 2 * MINUTE));
    const [first, ...none] = book.incidents();
    expect(none).toEqual([]);
    expect(first?.listed.map((p) => p.accountId)).toEqual(payers.slice(0, 3));
    expect(first?.accountId).toBe(payers[2]);
    expect(first?.window).toMatchObject({ newPayers: 3, newPayersWithSigns: 2 });
    expect(book.incidents()).toEqual([]);
    // The next batch starts from what was saved: the three are announced already.
    const saved = new Map(book.deltas().map((d) => [d.payer.accountId, d.payer]));
    const next = new DestinationBook(new Map([['bank_account:IBAN-MULE-1', saved]]), params, 30);
    run(next, pay(payers[0] as string, T0 + 3 * MINUTE));
    expect(next.incidents()).toEqual([]);
    run(next, pay(payers[3] as string, T0 + 4 * MINUTE));
    expect(next.incidents()[0]?.listed.map((p) => p.accountId)).toEqual(payers.slice(0, 4));
  });

  it('merges records the way the database does: in any order, to the same result', () => {
    const account = randomUUID();
    const a: DestinationPayer = {
      ...noPayments(account),
      firstPaidAt: 5,
      lastPaidAt: 9,
      payments: 2,
      amounts: { EUR: 7n },
      decision: 'review',
      maxScore: 40,
    };
    const b: DestinationPayer = {
      ...noPayments(account),
      firstPaidAt: 3,
      lastPaidAt: 4,
      payments: 1,
      amounts: { EUR: 1n, USD: 2n },
      securityChangeAt: 2,
      decision: 'suspected_theft',
      maxScore: 80,
    };
    const c: DestinationPayer = { ...noPayments(account), announced: true };
    const merged = mergePayers(mergePayers(a, b), c);
    expect(mergePayers(c, mergePayers(b, a))).toEqual(merged);
    expect(merged).toMatchObject({
      firstPaidAt: 3,
      lastPaidAt: 9,
      payments: 3,
      amounts: { EUR: 8n, USD: 2n },
      securityChangeAt: 2,
      decision: 'suspected_theft',
      maxScore: 80,
      announced: true,
    });
  });
});
