import { betaIncReg } from './betaIncReg.ts';
import type { Tail } from './gaussianNullP.ts';

/**
 * p of a correlation r under the Gaussian null with the number of samples matched to a measured
 * null variance: independent Gaussian vectors of n samples give Var(R) = 1/(n − 1), so a
 * permutation null with variance v behaves like n_eff = 1 + 1/v independent samples (fewer than
 * the real ones when the data are autocorrelated), and P(R ≥ r) = ½·I₁₋ᵣ²((n_eff − 2)/2, ½) as in
 * `gaussianNullP`, with a non-integer n_eff. The fallback of `permutationP` where no tail fit
 * applies: it matches the null's spread, not its tail shape, and never gives 0 for r < 1.
 * NaN where v ≥ 1/2 (n_eff ≤ 3) or r is NaN.
 * @param variance the variance of the null correlations (about their mean, ≈ 0)
 * @example momentMatchedCorrelationP(0.3, 1 / 59) // → 0.00993… (= gaussianNullP([0.3], 60)[0])
 */
export function momentMatchedCorrelationP(r: number, variance: number, tail: Tail = 'upper'): number {
  const nEff = 1 + 1 / variance;
  if (!(nEff > 3) || Number.isNaN(r)) return Number.NaN;
  const c = Math.min(1, Math.max(-1, r));
  const twoSided = betaIncReg((1 - c) * (1 + c), (nEff - 2) / 2, 0.5, c * c);
  if (tail === 'two-sided') return twoSided;
  return c >= 0 ? 0.5 * twoSided : 1 - 0.5 * twoSided;
}
