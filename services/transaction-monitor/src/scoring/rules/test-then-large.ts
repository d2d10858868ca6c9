import { atLeastTimes } from '../exact';
import type { Rule } from '../rule';
import { recentWithin, strengthBetween } from '../rule';
import { amountFor, type Rules } from '../rules-file';
import { formatGap, formatMoney } from '../wording';

/**
 * 8. test_then_large: at least `minTinyCount` tiny outgoing transactions (at most `tinyMax`) in
 * the `windowMinutes` before a large one: someone checking that stolen access works before moving
 * real money. Large for the currency (at least `largeMin`) or for the account: more than tiny and
 * taking at least `largeShareOfBalance` of what it holds (the real money of a small account).
 */
export const testThenLarge: Rule<Rules['test_then_large']> = (ctx, p) => {
  const { tx } = ctx;
  if (!tx.outgoing) return null;
  const tinyMax = amountFor(p.tinyMax, tx.currency);
  const large =
    tx.amount >= amountFor(p.largeMin, tx.currency) ||
    (tx.amount > tinyMax &&
      tx.balanceBefore !== null &&
      tx.balanceBefore > 0n &&
      atLeastTimes(tx.amount, p.largeShareOfBalance, tx.balanceBefore));
  if (!large) return null;
  const windowMs = p.windowMinutes * 60_000;
  const tiny = recentWithin(ctx, windowMs).filter((e) => e.currency === tx.currency && BigInt(e.amount) <= tinyMax);
  if (tiny.length < p.minTinyCount) return null;
  return {
    strength: strengthBetween(tiny.length, p.minTinyCount, p.minTinyCount * 2),
    detail: `${tiny.length} tiny payments (at most ${formatMoney(tinyMax, tx.currency)}) within ${formatGap(windowMs)} before ${formatMoney(tx.amount, tx.currency)}`,
  };
};
