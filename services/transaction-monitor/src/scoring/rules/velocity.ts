import { atLeastTimes, ratioOf } from '../exact';
import type { Rule } from '../rule';
import { recentWithin, strengthBetween } from '../rule';
import { amountFor, type Rules } from '../rules-file';
import { manyTimesUsual } from '../usual-amount';
import { formatGap, formatMoney, percent } from '../wording';

/**
 * 2. velocity: too many outgoing transactions, or too large a sum in the transaction's currency,
 * within any configured window (this transaction included). The strongest excess counts: twice
 * the limit is a full-strength hit. The sums are also judged against the account: two or more
 * outgoing in a window that move `balanceShare` of what it held when the window began (its
 * balance before this one plus what the window's earlier ones took), when that is also
 * `usualMultiple` times its usual amount: a small account emptied in steps to several
 * destinations never reaches the currency limits (half strength at `balanceShare`, full at 100%).
 */
export const velocity: Rule<Rules['velocity']> = (ctx, p) => {
  const { tx } = ctx;
  if (!tx.outgoing) return null;
  let worst: { excess: number; detail: string } | null = null;
  for (const window of p.windows) {
    const windowMs = window.minutes * 60_000;
    const entries = recentWithin(ctx, windowMs);
    const count = entries.length + 1;
    let sum = tx.amount;
    let sameCurrency = 1;
    for (const e of entries) {
      if (e.currency !== tx.currency) continue;
      sum += BigInt(e.amount);
      sameCurrency += 1;
    }
    const maxSum = amountFor(window.maxSum, tx.currency);
    const candidates = [
      count > window.maxCount && {
        excess: count / window.maxCount,
        detail: `${count} outgoing transactions within ${formatGap(windowMs)} (limit ${window.maxCount})`,
      },
      sum > maxSum && {
        excess: maxSum > 0n ? ratioOf(sum, maxSum) : Number.POSITIVE_INFINITY,
        detail: `${formatMoney(sum, tx.currency)} sent within ${formatGap(windowMs)} (limit ${formatMoney(maxSum, tx.currency)})`,
      },
    ];
    const held = tx.balanceBefore === null ? null : tx.balanceBefore + sum - tx.amount;
    if (sameCurrency >= 2 && held !== null && held > 0n && atLeastTimes(sum, p.balanceShare, held)) {
      const usual = manyTimesUsual(ctx.profile, sum, tx.currency, p);
      if (usual) {
        const share = ratioOf(sum, held);
        candidates.push({
          excess: p.balanceShare >= 1 ? 2 : 1 + Math.min(1, (share - p.balanceShare) / (1 - p.balanceShare)),
          detail: `${formatMoney(sum, tx.currency)} sent in ${sameCurrency} transactions within ${formatGap(windowMs)}: ${percent(share)} of the ${formatMoney(held, tx.currency)} held when they began (${usual.wording})`,
        });
      }
    }
    for (const candidate of candidates) {
      if (candidate && (worst === null || candidate.excess > worst.excess)) worst = candidate;
    }
  }
  return worst && { strength: strengthBetween(worst.excess, 1, 2), detail: worst.detail };
};
