/**
 * Median (the lower middle for an even count) and median absolute deviation of amounts given as
 * decimal strings of minor units: unlike mean and standard deviation, one house deposit or one
 * stolen-card spree in the sample barely moves them. Exact over the whole 64-bit range the
 * contract allows (bigint; a double would round 9007199254740993 to ...992). Throws on an empty
 * sample.
 */
export function medianAndMad(amounts: readonly string[]): { median: bigint; mad: bigint } {
  if (amounts.length === 0) throw new Error('median of nothing');
  const middle = (amounts.length - 1) >> 1;
  const values = amounts.map(BigInt).sort(compare);
  const median = values[middle] as bigint;
  const deviations = values.map((v) => (v >= median ? v - median : median - v)).sort(compare);
  return { median, mad: deviations[middle] as bigint };
}

const compare = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
