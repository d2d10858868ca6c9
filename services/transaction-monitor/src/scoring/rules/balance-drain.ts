import { atLeastTimes, ratioOf } from '../exact';
import type { Rule } from '../rule';
import { strengthBetween } from '../rule';
import { amountFor, type Rules } from '../rules-file';
import { formatMoney, percent } from '../wording';

/**
 * 5. balance_drain: an outgoing transaction that leaves less than `remainingFraction` of the
 * balance before it (balances below `minPriorBalance` are not worth a flag). Emptying the account
 * entirely is a full-strength hit.
 */
export const balanceDrain: Rule<Rules['balance_drain']> = ({ tx }, p) => {
  if (!tx.outgoing || tx.balanceAfter === null || tx.balanceBefore === null) return null;
  if (tx.balanceBefore <= 0n || tx.balanceBefore < amountFor(p.minPriorBalance, tx.currency)) return null;
  // balanceAfter / balanceBefore >= remainingFraction, decided exactly; the double is for wording.
  if (atLeastTimes(tx.balanceAfter < 0n ? 0n : tx.balanceAfter, p.remainingFraction, tx.balanceBefore)) return null;
  const left = tx.balanceAfter <= 0n ? 0 : ratioOf(tx.balanceAfter, tx.balanceBefore);
  return {
    strength: strengthBetween(p.remainingFraction - left, 0, p.remainingFraction),
    detail: `Leaves ${formatMoney(tx.balanceAfter, tx.currency)} of ${formatMoney(tx.balanceBefore, tx.currency)} (${percent(left)})`,
  };
};
