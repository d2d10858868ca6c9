/**
 * Median (the lower middle for an even count) and median absolute deviation of amounts given as
 * decimal strings of minor units: unlike mean and standard deviation, one house deposit or one
 * stolen-card spree in the sample barely moves them. Computed in double precision, which is exact
 * below 2^53 minor units (90 trillion euros) and only a yardstick beyond; stored amounts stay
 * exact strings.
 */
export function medianAndMad(amounts: readonly string[]): { median: number; mad: number } {
  if (amounts.length === 0) throw new Error('median of nothing');
  const middle = (amounts.length - 1) >> 1;
  const values = Float64Array.from(amounts, Number).sort();
  const median = values[middle] as number;
  const deviations = values.map((v) => Math.abs(v - median)).sort();
  return { median, mad: deviations[middle] as number };
}
