/**
 * The Anderson–Darling statistic A² of a sample against a fitted distribution, given the
 * sample's log CDF and log survival values in ascending order of the sample:
 * A² = −n − (1/n) Σᵢ (2i − 1)·[ln F(x₍ᵢ₎) + ln(1 − F(x₍ₙ₊₁₋ᵢ₎))].
 * Log inputs keep the far tail exact (1 − F near 0 is given directly). A value on or beyond the
 * fitted support (F = 0 or 1) gives +Infinity. Checked against `scipy.stats.goodness_of_fit`.
 * @param logCdf ln F(x₍ᵢ₎), ascending x
 * @param logSf ln(1 − F(x₍ᵢ₎)), same order
 */
export function andersonDarling(logCdf: ArrayLike<number>, logSf: ArrayLike<number>): number {
  const n = logCdf.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += (2 * i + 1) * (logCdf[i]! + logSf[n - 1 - i]!);
  return -n - s / n;
}
