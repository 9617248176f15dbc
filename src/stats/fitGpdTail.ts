import { fail } from '../errors.ts';
import { andersonDarling } from './andersonDarling.ts';
import { fitGpdMoments } from './fitGpdMoments.ts';
import { gpdAndersonDarlingP } from './gpdAndersonDarlingP.ts';
import { gpdLogSf } from './gpdSf.ts';

/**
 * Tail quantiles tried by {@link fitGpdTail}, in order: PALM's 0.751, 0.761, …, 0.971 (its
 * `(751:10:999)/1000` less the last two, which its loop never reaches).
 */
export const GPD_TAIL_QUANTILES: readonly number[] = Array.from({ length: 23 }, (_, i) => (751 + 10 * i) / 1000);

/** Options of {@link fitGpdTail}. */
export interface GpdTailOptions {
  /** Quantiles of the sample tried as the threshold, in order (default {@link GPD_TAIL_QUANTILES}). */
  quantiles?: readonly number[];
  /** A fit is accepted when its Anderson–Darling p exceeds this (default 0.05, as PALM). */
  adAlpha?: number;
  /** Fewest exceedances a threshold may leave (default 10). */
  minExceedances?: number;
  /** The sample is already sorted ascending (skips a sorted copy). */
  sorted?: boolean;
  /**
   * Smallest shape allowed (default −Infinity: none). A moment estimate below it is replaced by
   * the GPD with this shape and the same mean, σ = m·(1 − ξ₀) (for ξ₀ = 0 the exponential with
   * the mean excess), then tested the same way: where the tail is known to be no heavier than
   * ξ₀ in the limit, a lighter estimate cuts the extrapolated tail short, and the constraint errs
   * on the conservative side.
   */
  minShape?: number;
}

/** A generalized Pareto fit of the upper tail of a sample (SciPy's parameterization). */
export interface GpdTailFit {
  /** Threshold u: midway between the last value below the tail and the first in it. */
  threshold: number;
  /** Shape ξ (`scipy.stats.genpareto`'s c; < 0: bounded, endpoint u + σ/|ξ|). */
  shape: number;
  /** Scale σ. */
  scale: number;
  /** Values above the threshold (the exceedances fitted) and the sample size. */
  nExceedances: number;
  n: number;
  /** nExceedances / n: the estimate of P(X > u). */
  tailFraction: number;
  /** The quantile tried that gave this threshold. */
  quantile: number;
  /** Anderson–Darling A² of the exceedances against the fit, and its p (Choulakian & Stephens). */
  ad: number;
  adP: number;
}

/**
 * fitGpdTail(sample) → a generalized Pareto fit of the sample's upper tail, the way FSL's PALM
 * fits permutation nulls (Winkler et al. 2016, NeuroImage 141:502, after Knijnenburg et al. 2009):
 * for each quantile in turn (0.751 up to 0.971), the threshold u sits midway between the order
 * statistics around it, the exceedances x − u above it are fitted by the method of moments
 * (`fitGpdMoments`), and the first fit whose Anderson–Darling p (`gpdAndersonDarlingP`) exceeds
 * `adAlpha` is returned: the threshold rises until the tail looks Pareto, since the GPD is the
 * limit law of exceedances over high thresholds. null when no quantile gives an accepted fit (or
 * the sample has fewer than 2·minExceedances values); a fit whose support ends below one of its
 * own exceedances is never accepted (its A² is infinite).
 *
 * Ties at the threshold move it up to the next distinct value, so every exceedance is > 0.
 * NaN in the sample is an error.
 * @param sample the null distribution (e.g. the permutation statistics of one voxel)
 * @example const fit = fitGpdTail(nullR); fit && tailP(0.5, fit)
 */
export function fitGpdTail(sample: ArrayLike<number>, opts: GpdTailOptions = {}): GpdTailFit | null {
  const n = sample.length;
  const minExc = opts.minExceedances ?? 10;
  const alpha = opts.adAlpha ?? 0.05;
  if (!(Number.isInteger(minExc) && minExc >= 2)) fail('BAD_INPUT', `fitGpdTail: minExceedances = ${minExc}; give an integer ≥ 2.`);
  if (n < 2 * minExc) return null;
  const x = opts.sorted ? sample : Float64Array.from(sample).sort();
  if (Number.isNaN(x[0]!) || Number.isNaN(x[n - 1]!)) fail('BAD_INPUT', 'fitGpdTail: the sample holds NaN; drop it first.');
  for (const q of opts.quantiles ?? GPD_TAIL_QUANTILES) {
    // first tail element: the smallest order statistic whose empirical CDF i/n reaches q
    let i0 = Math.max(1, Math.ceil(q * n - 1e-9) - 1);
    while (i0 < n && x[i0]! === x[i0 - 1]!) i0++;
    const nExc = n - i0;
    if (nExc < minExc) continue;
    const u = (x[i0 - 1]! + x[i0]!) / 2;
    const y = new Float64Array(nExc);
    for (let i = 0; i < nExc; i++) y[i] = x[i0 + i]! - u;
    let { shape, scale } = fitGpdMoments(y);
    if (Number.isNaN(shape)) continue;
    if (opts.minShape !== undefined && shape < opts.minShape) {
      shape = opts.minShape;
      scale = (y.reduce((a, b) => a + b, 0) / nExc) * (1 - shape);
    }
    const logSf = new Float64Array(nExc);
    const logCdf = new Float64Array(nExc);
    for (let i = 0; i < nExc; i++) {
      const ls = gpdLogSf(y[i]!, shape, scale);
      logSf[i] = ls;
      logCdf[i] = Math.log(-Math.expm1(ls));
    }
    const ad = andersonDarling(logCdf, logSf);
    const adP = Number.isFinite(ad) ? gpdAndersonDarlingP(ad, shape) : 0;
    if (adP > alpha) return { threshold: u, shape, scale, nExceedances: nExc, n, tailFraction: nExc / n, quantile: q, ad, adP };
  }
  return null;
}
