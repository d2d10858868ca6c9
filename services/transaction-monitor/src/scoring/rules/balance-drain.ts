import { atLeastTimes, ratioOf } from '../exact';
import type { Rule } from '../rule';
import { strengthBetween } from '../rule';
import { amountFor, type Rules } from '../rules-file';
import { manyTimesUsual } from '../usual-amount';
import { formatMoney, percent } from '../wording';

/**
 * 5. balance_drain: an outgoing transaction that leaves less than `remainingFraction` of the
 * balance before it. A balance below `minPriorBalance` counts only when the drain is large for
 * this account (`usualMultiple` times its usual outgoing amount): a student spending the last
 * 15.00 on the usual groceries is not worth a flag, an account that pays 5.00 at a time emptied
 * of 32.00 is. Emptying the account entirely is a full-strength hit.
 */
export const balanceDrain: Rule<Rules['balance_drain']> = ({ tx, profile }, p) => {
  if (!tx.outgoing || tx.balanceAfter === null || tx.balanceBefore === null) return null;
  if (tx.balanceBefore <= 0n) return null;
  // balanceAfter / balanceBefore >= remainingFraction, decided exactly; the double is for wording.
  if (atLeastTimes(tx.balanceAfter < 0n ? 0n : tx.balanceAfter, p.remainingFraction, tx.balanceBefore)) return null;
  let relative = '';
  if (tx.balanceBefore < amountFor(p.minPriorBalance, tx.currency)) {
    const usual = manyTimesUsual(profile, tx.amount, tx.currency, p);
    if (usual === null) return null;
    relative = `; ${formatMoney(tx.amount, tx.currency)} is ${usual.wording}`;
  }
  const left = tx.balanceAfter <= 0n ? 0 : ratioOf(tx.balanceAfter, tx.balanceBefore);
  return {
    strength: strengthBetween(p.remainingFraction - left, 0, p.remainingFraction),
    detail: `Leaves ${formatMoney(tx.balanceAfter, tx.currency)} of ${formatMoney(tx.balanceBefore, tx.currency)} (${percent(left)})${relative}`,
  };
};
