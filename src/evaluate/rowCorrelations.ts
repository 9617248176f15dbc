import { fail } from '../errors.ts';

/** Row-major numbers: `n × dim`, row i at `[i*dim, (i+1)*dim)`. */
export type RowMajor = ArrayLike<number>;

/** Checks `data` holds `n × dim` numbers, all finite; names `what` in the error. */
export function checkRows(data: RowMajor, n: number, dim: number, what: string): void {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(dim) || dim < 1) {
    fail('BAD_INPUT', `${what}: n=${n} and dim=${dim} must be integers with n >= 0 and dim >= 1.`);
  }
  if (data.length !== n * dim) {
    fail('MISMATCH', `${what} has ${data.length} values, expected n × dim = ${n} × ${dim} = ${n * dim}; pass the item count and dimension of the array.`);
  }
  for (let k = 0; k < data.length; k++) {
    if (!Number.isFinite(data[k])) fail('BAD_INPUT', `${what} holds a non-finite value (${data[k]}) at item ${Math.floor(k / dim)}, dimension ${k % dim}; remove or impute it first.`);
  }
}

/**
 * Centres each row and scales it to unit Euclidean norm (float64), so that the dot product of
 * two such rows is their Pearson correlation. A constant row becomes all zeros, which makes its
 * correlation with anything 0 (our zero-variance policy).
 */
export function normalizeRows(data: RowMajor, n: number, dim: number): Float64Array {
  const out = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    const o = i * dim;
    let mean = 0;
    for (let d = 0; d < dim; d++) mean += data[o + d];
    mean /= dim;
    let ss = 0;
    for (let d = 0; d < dim; d++) {
      const v = data[o + d] - mean;
      out[o + d] = v;
      ss += v * v;
    }
    // A constant row leaves only rounding residue after centring: treat as zero variance when the
    // spread is below 1e-12 of the row's largest magnitude.
    let maxAbs = 0;
    for (let d = 0; d < dim; d++) maxAbs = Math.max(maxAbs, Math.abs(data[o + d]));
    const floor = 1e-12 * maxAbs;
    const inv = ss > dim * floor * floor && ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let d = 0; d < dim; d++) out[o + d] *= inv;
  }
  return out;
}

/**
 * Pearson correlation between every row of `P` and every row of `T`.
 *
 * @param P predictions, `n × dim` row-major (Float32Array, Float64Array or number[])
 * @param T targets, `n × dim` row-major, same item order as `P`
 * @returns `C`, `n × n` row-major Float64Array with `C[i*n + j] = r(P_i, T_j)`; a constant row
 *   correlates 0 with everything.
 * @example rowCorrelations([1, 2, 3, 3, 2, 1], [1, 2, 3, 3, 2, 1], 2, 3) // → [1, -1, -1, 1]
 */
export function rowCorrelations(P: RowMajor, T: RowMajor, n: number, dim: number): Float64Array {
  checkRows(P, n, dim, 'predictions');
  checkRows(T, n, dim, 'targets');
  const zp = normalizeRows(P, n, dim);
  const zt = normalizeRows(T, n, dim);
  const C = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const pi = i * dim;
    for (let j = 0; j < n; j++) {
      const tj = j * dim;
      let s = 0;
      for (let d = 0; d < dim; d++) s += zp[pi + d] * zt[tj + d];
      C[i * n + j] = s;
    }
  }
  return C;
}
