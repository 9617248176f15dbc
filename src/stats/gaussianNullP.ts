import { fail } from '../errors.ts';
import { betaIncReg } from './betaIncReg.ts';

/** Which tail of the null the p-value measures. */
export type Tail = 'upper' | 'two-sided';

/**
 * p-values of correlations under the paper's null: r is the Pearson correlation of two
 * independent Gaussian vectors of length `n` (Brain2Music §encoding: "correlations between
 * independent Gaussian vectors of the test length"). Then t = r·√((n-2)/(1-r²)) follows Student's
 * t with n - 2 degrees of freedom, and the p-value is exact: with x = 1 - r²,
 * P(R ≥ r) = ½ · I_x((n-2)/2, ½) for r ≥ 0 (1 minus that for r < 0).
 *
 * Default tail 'upper' (one-sided, P(R ≥ r)): the paper tests whether a model predicts a voxel
 * better than chance, i.e. r > 0, so a negative r is never significant (p ≥ 0.5).
 * 'two-sided' gives P(|R| ≥ |r|).
 *
 * This null assumes independent samples; fMRI time courses are autocorrelated, so it is
 * anti-conservative there. See `blockPermutationNull` for a null that keeps autocorrelation.
 *
 * NaN policy: a NaN r gives a NaN p (and `fdrBh` then skips it). |r| > 1 is an error.
 *
 * @param r correlations, one per voxel (any length).
 * @param n number of samples each correlation was computed on (≥ 3).
 * @returns p-values, Float64Array of r's length.
 * @example gaussianNullP([0], 100) // → [0.5]
 */
export function gaussianNullP(r: ArrayLike<number>, n: number, opts: { tail?: Tail } = {}): Float64Array {
  const tail = opts.tail ?? 'upper';
  if (tail !== 'upper' && tail !== 'two-sided') fail('BAD_INPUT', `gaussianNullP: tail '${String(tail)}' is not one of 'upper', 'two-sided'.`);
  if (!Number.isInteger(n) || n < 3) fail('BAD_INPUT', `gaussianNullP: n = ${n} samples; the t-test of a correlation needs an integer n ≥ 3.`);
  const a = (n - 2) / 2;
  const out = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) {
    const v = r[i]!;
    if (Number.isNaN(v)) { out[i] = Number.NaN; continue; }
    if (v > 1 + 1e-6 || v < -1 - 1e-6) fail('BAD_INPUT', `gaussianNullP: r = ${v} at index ${i} is not a correlation (|r| ≤ 1).`);
    const c = Math.min(1, Math.max(-1, v));
    // I_x with x = 1 - r², computed as (1-r)(1+r) and y = r² to keep precision at both ends.
    const twoSided = betaIncReg((1 - c) * (1 + c), a, 0.5, c * c);
    out[i] = tail === 'two-sided' ? twoSided : c >= 0 ? 0.5 * twoSided : 1 - 0.5 * twoSided;
  }
  return out;
}
