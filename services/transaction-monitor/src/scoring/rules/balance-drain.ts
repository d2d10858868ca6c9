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
  const left = Math.max(0, Number(tx.balanceAfter) / Number(tx.balanceBefore));
  if (left >= p.remainingFraction) return null;
  return {
    strength: strengthBetween(p.remainingFraction - left, 0, p.remainingFraction),
    detail: `Leaves ${formatMoney(tx.balanceAfter, tx.currency)} of ${formatMoney(tx.balanceBefore, tx.currency)} (${percent(left)})`,
  };
};
