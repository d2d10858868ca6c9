// Amount comparisons in the rules are exact over the whole 64-bit range: bigint minor units
// against thresholds, never doubles (above 2^53 minor units a double cannot tell neighbours apart,
// so a decision could flip on rounding). Floats remain only where nothing is decided: strengths
// and the wording of details.

/** Fractions and ratios from the rules file count to the millionth: `scaled(x)` is x × SCALE. */
export const SCALE = 1_000_000n;
export const scaled = (factor: number): bigint => BigInt(Math.round(factor * 1_000_000));

/** `a >= factor × b`, exactly (factor taken to the millionth). */
export const atLeastTimes = (a: bigint, factor: number, b: bigint): boolean => a * SCALE >= scaled(factor) * b;

/** `a <= factor × b`, exactly (factor taken to the millionth). */
export const atMostTimes = (a: bigint, factor: number, b: bigint): boolean => a * SCALE <= scaled(factor) * b;

/** `a / b` as a double, for strengths and wording only (b must be positive). */
export const ratioOf = (a: bigint, b: bigint): number => Number((a * SCALE) / b) / 1_000_000;
