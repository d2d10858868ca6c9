import { ratioOf } from '../exact';
import type { Rule } from '../rule';
import { recentWithin, strengthBetween } from '../rule';
import { amountFor, type Rules } from '../rules-file';
import { formatGap, formatMoney } from '../wording';

/**
 * 2. velocity: too many outgoing transactions, or too large a sum in the transaction's currency,
 * within any configured window (this transaction included). The strongest excess counts: twice
 * the limit is a full-strength hit.
 */
export const velocity: Rule<Rules['velocity']> = (ctx, p) => {
  const { tx } = ctx;
  if (!tx.outgoing) return null;
  let worst: { excess: number; detail: string } | null = null;
  for (const window of p.windows) {
    const windowMs = window.minutes * 60_000;
    const entries = recentWithin(ctx, windowMs);
    const count = entries.length + 1;
    const sum = entries.reduce((s, e) => (e.currency === tx.currency ? s + BigInt(e.amount) : s), tx.amount);
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
    for (const candidate of candidates) {
      if (candidate && (worst === null || candidate.excess > worst.excess)) worst = candidate;
    }
  }
  return worst && { strength: strengthBetween(worst.excess, 1, 2), detail: worst.detail };
};
