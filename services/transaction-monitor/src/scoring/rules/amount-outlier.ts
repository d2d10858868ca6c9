import { medianAndMad } from '../../profiles/statistics';
import { atLeastTimes, atMostTimes, ratioOf, SCALE, scaled } from '../exact';
import type { Rule } from '../rule';
import { strengthBetween } from '../rule';
import type { Rules } from '../rules-file';
import { formatMoney } from '../wording';

/** MAD times this estimates a standard deviation for normally spread amounts. */
const MAD_TO_SIGMA = 1.4826;
/**
 * An account paying the same 50.00 every time has a MAD of zero; a spread of at least a tenth of
 * the median keeps 60.00 from counting as a wild outlier.
 */
const MIN_SPREAD_OF_MEDIAN = 0.1;

/** Paying a counterparty up to this much more than last time is its usual amount (rent, a loan). */
const RECURRING_TOLERANCE = 1.5;

/**
 * 1. amount_outlier: an outgoing amount far above this account's usual amount in that currency
 * (median and MAD of its latest outgoing amounts; needs `minHistory` of them). Not when the
 * account paid this same counterparty about as much before: the monthly rent is large, not odd.
 */
export const amountOutlier: Rule<Rules['amount_outlier']> = ({ tx, profile, counterparty }, p) => {
  if (!tx.outgoing) return null;
  if (counterparty && atMostTimes(tx.amount, RECURRING_TOLERANCE, BigInt(counterparty.last))) return null;
  const sample = profile.amounts[tx.currency] ?? [];
  if (sample.length < p.minHistory) return null;
  const amount = tx.amount;
  const { median, mad } = medianAndMad(sample);
  if (median <= 0n || !atLeastTimes(amount, p.minRatio, median)) return null;
  // (amount - median) / spread >= madMultiplier, with spread = max(MAD × 1.4826, median / 10),
  // all in millionths of a minor unit so nothing is rounded.
  let spread = mad * scaled(MAD_TO_SIGMA);
  const floorSpread = median * scaled(MIN_SPREAD_OF_MEDIAN);
  if (floorSpread > spread) spread = floorSpread;
  if ((amount - median) * SCALE * SCALE < scaled(p.madMultiplier) * spread) return null;
  const ratio = ratioOf(amount, median);
  return {
    strength: strengthBetween(ratio, p.minRatio, p.strongRatio),
    detail: `Outgoing ${formatMoney(tx.amount, tx.currency)} is ${ratio.toFixed(1)}x the usual ${formatMoney(median, tx.currency)} (median of the last ${sample.length})`,
  };
};
