import type { ProfileState } from '../profiles/profile-state';
import { medianAndMad } from '../profiles/statistics';
import { atLeastTimes, ratioOf } from './exact';
import { formatMoney } from './wording';

/**
 * The account's usual outgoing amount in `currency`: the median of its latest outgoing amounts
 * (the profile keeps 50 per currency, however old: a dormant account keeps what it used to
 * spend). Null with fewer than `minHistory` of them, or a median of zero: nothing to compare with.
 * Rules call it only after their cheaper checks passed (it sorts the sample).
 */
function usualAmount(profile: ProfileState, currency: string, minHistory: number): bigint | null {
  const sample = profile.amounts[currency] ?? [];
  if (sample.length < minHistory) return null;
  const { median } = medianAndMad(sample);
  return median > 0n ? median : null;
}

/** How an amount compares with the account's usual one, when it is at least `multiple` times it. */
export interface ManyTimesUsual {
  usual: bigint;
  /** amount / usual, for strengths and wording only (the decision was exact). */
  ratio: number;
  /** "6.0x the usual 5.00 EUR" */
  wording: string;
}

/**
 * `amount` judged against the account rather than a currency threshold: at least `multiple`
 * times its usual outgoing amount (decided exactly, in bigint). Null when it is not, or when the
 * account has too little history to say what usual is.
 */
export function manyTimesUsual(
  profile: ProfileState,
  amount: bigint,
  currency: string,
  p: { usualMultiple: number; minHistory: number },
): ManyTimesUsual | null {
  const usual = usualAmount(profile, currency, p.minHistory);
  if (usual === null || !atLeastTimes(amount, p.usualMultiple, usual)) return null;
  const ratio = ratioOf(amount, usual);
  return { usual, ratio, wording: `${ratio.toFixed(1)}x the usual ${formatMoney(usual, currency)}` };
}
