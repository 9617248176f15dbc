import { fail } from '../errors.ts';

/** Shape ξ (SciPy's `c`) and scale σ of a generalized Pareto distribution with location 0. */
export interface GpdParams {
  shape: number;
  scale: number;
}

/**
 * fitGpdMoments(y) → the generalized Pareto distribution (location 0) whose mean and variance equal
 * those of the exceedances `y` (method of moments, Hosking & Wallis 1987 §3.2, as FSL's PALM fits
 * its tails): with mean m and unbiased variance s², ξ = (1 − m²/s²)/2 and σ = m·(1 + m²/s²)/2.
 * It always gives ξ < 1/2 (where the variance exists) and is reliable for ξ roughly in
 * (−0.5, 0.4), the light and moderately heavy tails of permutation nulls; maximum likelihood is
 * not used because it has no closed form and is irregular for ξ < −0.5 (bounded tails).
 * Written here because no installed package fits distributions.
 *
 * NaN when s² = 0 or m ≤ 0 (no tail to fit).
 * @param y exceedances over the threshold (all > 0), any order, at least 2.
 * @example fitGpdMoments([1, 2, 3]) // → { shape: -1.5, scale: 5 }
 */
export function fitGpdMoments(y: ArrayLike<number>): GpdParams {
  const n = y.length;
  if (n < 2) fail('BAD_INPUT', `fitGpdMoments: ${n} exceedance(s); the method of moments needs at least 2.`);
  let m = 0;
  for (let i = 0; i < n; i++) m += y[i]!;
  m /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (y[i]! - m) ** 2;
  const s2 = ss / (n - 1);
  if (!(s2 > 0) || !(m > 0)) return { shape: Number.NaN, scale: Number.NaN };
  const ratio = (m * m) / s2;
  return { shape: (1 - ratio) / 2, scale: (m * (1 + ratio)) / 2 };
}
