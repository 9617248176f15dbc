import type { GpdTailFit } from './fitGpdTail.ts';
import { gpdSf } from './gpdSf.ts';

/**
 * tailP(x, fit) → P(X ≥ x) from a tail fit: (nExceedances / n) · GPD survival of x − u, for x
 * above the fit's threshold u (NaN at or below it, where the fit says nothing). 0 beyond the
 * endpoint of a bounded tail (ξ < 0); see `permutationP` for what to do then.
 * @example tailP(0.6, fitGpdTail(nullR)!) // → e.g. 3.1e-7
 */
export function tailP(x: number, fit: GpdTailFit): number {
  if (!(x > fit.threshold)) return Number.NaN;
  return fit.tailFraction * gpdSf(x - fit.threshold, fit.shape, fit.scale);
}
