import type { Tail } from './gaussianNullP.ts';
import { momentMatchedCorrelationP } from './momentMatchedCorrelationP.ts';
import { permutationP, type PermutationP, type PTail } from './permutationP.ts';

/** Options of {@link correlationNullP}. */
export interface CorrelationNullOptions {
  /** 'gpd' (default): the Pareto tail beyond every permutation; 'none': the count alone. */
  pTail?: PTail;
  /** 'upper' (default) or 'two-sided' (|r| against |null r|). */
  tail?: Tail;
  /** Passed to `permutationP` (defaults 0.1, 1 and 1,000). */
  tailThreshold?: number;
  reliableCount?: number;
  minNull?: number;
}

/** −ln(1 − r²) with r's sign (strictly increasing in r on (−1, 1)). */
const logLikelihoodScale = (r: number): number => (r >= 0 ? -Math.log1p(-r * r) : Math.log1p(-r * r));

/**
 * correlationNullP(r, nullR) → the permutation p of a correlation r against its null
 * correlations (e.g. one voxel's block shuffles), with `permutationP`'s Pareto tail beyond every
 * permutation, set up for correlations:
 *
 * - the tail is fitted on w = −ln(1 − r²) (sign kept), where it is close to exponential: under
 *   the Gaussian null the density of r falls like (1 − r²)^((n−4)/2) = e^(−(n−4)·w/2). On the r
 *   scale the fit sees a bounded, normal-like tail (ξ̂ ≈ −0.25 above the 0.75 quantile), puts its
 *   endpoint just past the permutations, and gave p = 0 at a true 10⁻⁵ for most voxels;
 * - the shape is kept ≥ 0 on that scale (`minShape`): a bounded correlation null is lighter than
 *   exponential, so this errs towards larger p. Measured on block shuffles of autocorrelated
 *   series, taking r as the largest of 1,001 draws from a voxel's null and the other 1,000 as its
 *   null (so that under H0 P(p ≤ α) = 1001·α for α < 1/1001 exactly): the rate was 0.45–0.9
 *   times the nominal at 1001·α = 0.1, 0.01 and 0.001 (1.1–4.5 times without the constraint);
 * - where no tail fit is accepted, `momentMatchedCorrelationP` with the null's variance.
 *
 * NaN r gives NaN p (and pEmpirical).
 * @param nullR the null correlations (signed, also for 'two-sided')
 * @example correlationNullP(0.62, nullR).p // → e.g. 3e-6 with 1,000 shuffles, whose floor is 1/1001
 */
export function correlationNullP(r: number, nullR: ArrayLike<number>, opts: CorrelationNullOptions = {}): PermutationP {
  const tail = opts.tail ?? 'upper';
  const n = nullR.length;
  let sum = 0, sum2 = 0;
  for (let k = 0; k < n; k++) { sum += nullR[k]!; sum2 += nullR[k]! * nullR[k]!; }
  const variance = n > 1 ? (sum2 - (sum * sum) / n) / (n - 1) : Number.NaN;
  const sample = tail === 'upper' ? nullR : Float64Array.from(nullR, Math.abs);
  return permutationP(tail === 'upper' ? r : Math.abs(r), sample, {
    pTail: opts.pTail, tailThreshold: opts.tailThreshold, reliableCount: opts.reliableCount, minNull: opts.minNull,
    transform: logLikelihoodScale, minShape: 0,
    fallbackP: () => momentMatchedCorrelationP(r, variance, tail),
  });
}
