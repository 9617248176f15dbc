import { fail } from '../errors.ts';

/**
 * Benjamini-Hochberg false discovery rate: q-values (adjusted p-values) for `p`.
 *
 * With the m finite p-values sorted ascending, p(1) ≤ … ≤ p(m), the q-value of rank i is
 * `q(i) = min over j ≥ i of min(1, m · p(j) / j)`. So q is monotone in p (ties get equal q),
 * `q ≥ p`, and `q ≤ 1`. Declaring `q ≤ α` significant controls the FDR at level α for
 * independent or positively dependent tests (Benjamini & Hochberg 1995; Benjamini & Yekutieli 2001).
 *
 * NaN policy: a NaN p-value (e.g. a constant voxel) is not a test. It is left out of m and its
 * q-value is NaN. A value outside [0, 1] (or ±Infinity) is an error.
 *
 * @param p p-values, any length (Float32Array, Float64Array or number[]).
 * @returns q-values, Float64Array of the same length, same order as `p`.
 * @example fdrBh([0.01, 0.04, 0.03, 0.5]) // → [0.04, 0.04 * 4 / 3 ≈ 0.0533, 0.0533, 0.5]
 */
export function fdrBh(p: ArrayLike<number>): Float64Array {
  const n = p.length;
  const q = new Float64Array(n).fill(Number.NaN);
  const idx: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = p[i]!;
    if (Number.isNaN(v)) continue;
    if (!(v >= 0 && v <= 1)) fail('BAD_INPUT', `fdrBh: p-value ${v} at index ${i} is outside [0, 1]; pass probabilities (NaN marks a voxel that was not tested).`);
    idx.push(i);
  }
  const m = idx.length;
  // Stable sort so that equal p-values keep their input order (their q-values are equal anyway).
  idx.sort((a, b) => p[a]! - p[b]! || a - b);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const i = idx[rank - 1]!;
    const v = (m * p[i]!) / rank;
    if (v < running) running = v;
    q[i] = running;
  }
  return q;
}
