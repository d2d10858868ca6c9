import { atLeastTimes, ratioOf } from '../exact';
import type { Rule } from '../rule';
import { recentWithin, strengthBetween } from '../rule';
import { amountFor, type Rules } from '../rules-file';
import { manyTimesUsual } from '../usual-amount';
import { formatMoney, percent } from '../wording';

/**
 * 3. new_counterparty_large: payment to a counterparty first paid less than `newForHours` ago
 * (or never), and large: at least `minAmount`, or at least `balanceFraction` of the balance
 * (when that is worth `minAmountForBalanceFraction`, or is `usualMultiple` times the account's
 * usual amount: the floor is relative to the account too). Earlier payments to it in that time count
 * with this one, so a drain split into several transfers is judged on its total.
 */
export const newCounterpartyLarge: Rule<Rules['new_counterparty_large']> = (ctx, p) => {
  const { tx, counterparty: known } = ctx;
  if (!tx.outgoing || tx.counterparty === null) return null;
  const newForMs = p.newForHours * 3_600_000;
  if (known && tx.at - known.since >= newForMs) return null;
  const earlier = known
    ? recentWithin(ctx, newForMs).filter((e) => e.counterparty === tx.counterparty && e.currency === tx.currency)
    : [];
  const total = earlier.reduce((sum, e) => sum + BigInt(e.amount), tx.amount);
  const minAmount = amountFor(p.minAmount, tx.currency);
  const absolute = total >= minAmount ? strengthBetween(minAmount > 0n ? ratioOf(total, minAmount) : 5, 1, 5) : 0;
  // The balance before the first of these payments: what the account held when they began.
  const before = tx.balanceBefore === null ? null : tx.balanceBefore + total - tx.amount;
  // total / before >= balanceFraction, decided exactly; `share` only words and grades it.
  const takesFraction = before !== null && before > 0n && atLeastTimes(total, p.balanceFraction, before);
  const worth = total >= amountFor(p.minAmountForBalanceFraction, tx.currency);
  // Below that floor the share still counts when the total is large for this account.
  const usual = takesFraction && !worth ? manyTimesUsual(ctx.profile, total, tx.currency, p) : null;
  const share = before !== null && before > 0n && (worth || usual !== null) ? ratioOf(total, before) : 0;
  const large = takesFraction && (worth || usual !== null);
  const relative = large ? strengthBetween(share, p.balanceFraction, 1) : 0;
  if (absolute === 0 && relative === 0) return null;
  const kind = (tx.counterpartyKind ?? 'counterparty').replace('_', ' ');
  const payments = earlier.length > 0 ? ` in ${earlier.length + 1} payments` : '';
  return {
    strength: Math.max(absolute, relative),
    detail: `New ${kind}: ${formatMoney(total, tx.currency)}${payments}${share > 0 ? `, ${percent(share)} of the balance` : ''}${usual ? ` (${usual.wording})` : ''}`,
  };
};
