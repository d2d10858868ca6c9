import type { Rule } from '../rule';
import { recentWithin, strengthBetween } from '../rule';
import { amountFor, type Rules } from '../rules-file';
import { formatGap, formatMoney } from '../wording';

/**
 * 9. structuring: at least `minCount` outgoing amounts (this one included) just below a reporting
 * threshold (within `band` of it) inside `windowHours`: splitting a sum to stay under the limit.
 */
export const structuring: Rule<Rules['structuring']> = (ctx, p) => {
  const { tx } = ctx;
  if (!tx.outgoing) return null;
  const threshold = amountFor(p.reportingThreshold, tx.currency);
  const lower = threshold - (threshold * BigInt(Math.round(p.band * 10_000))) / 10_000n;
  const justBelow = (amount: bigint) => amount >= lower && amount < threshold;
  if (!justBelow(tx.amount)) return null;
  const windowMs = p.windowHours * 3_600_000;
  const count =
    1 + recentWithin(ctx, windowMs).filter((e) => e.currency === tx.currency && justBelow(BigInt(e.amount))).length;
  if (count < p.minCount) return null;
  return {
    strength: strengthBetween(count, p.minCount, p.minCount * 2),
    detail: `${count} amounts just below ${formatMoney(threshold, tx.currency)} within ${formatGap(windowMs)}`,
  };
};
