import { fail } from '../errors.ts';

/** Column statistics from the training rows only (float64). */
export interface Standardizer {
  mean: Float64Array;
  /** Standard deviation (population, divisor n); a constant column gets 1 so it maps to 0. */
  std: Float64Array;
}

/**
 * Mean and standard deviation of each column of an `n × p` row-major matrix, over all rows or
 * only the rows `rows` (e.g. the training part of an outer CV fold). Fit this on training rows
 * only and apply it to training and test rows alike (docs/method.md §5.4).
 */
export function fitStandardizer(data: Float32Array, n: number, p: number, rows?: ArrayLike<number>): Standardizer {
  if (data.length !== n * p) fail('MISMATCH', `standardizer: ${data.length} values, expected ${n} × ${p}.`);
  const m = rows ? rows.length : n;
  if (m < 2) fail('BAD_INPUT', `standardizer needs at least 2 training rows, got ${m}.`);
  const rowAt = rows ? (i: number) => rows[i] : (i: number) => i;
  const mean = new Float64Array(p);
  const ss = new Float64Array(p);
  for (let i = 0; i < m; i++) {
    const o = rowAt(i) * p;
    for (let j = 0; j < p; j++) mean[j] += data[o + j];
  }
  for (let j = 0; j < p; j++) mean[j] /= m;
  for (let i = 0; i < m; i++) {
    const o = rowAt(i) * p;
    for (let j = 0; j < p; j++) {
      const d = data[o + j] - mean[j];
      ss[j] += d * d;
    }
  }
  const std = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const s = Math.sqrt(ss[j] / m);
    std[j] = s > 1e-12 * Math.max(1, Math.abs(mean[j])) ? s : 1;
  }
  return { mean, std };
}

/**
 * Columns `cols` of the `n × p` matrix `data`, standardised with `st` (fitted on all p columns):
 * returns an `n × cols.length` float32 matrix `(x − mean) / std`.
 */
export function selectStandardized(data: Float32Array, n: number, p: number, cols: Int32Array, st: Standardizer): Float32Array {
  if (data.length !== n * p) fail('MISMATCH', `selectStandardized: ${data.length} values, expected ${n} × ${p}.`);
  const q = cols.length;
  const out = new Float32Array(n * q);
  const mean = new Float64Array(q);
  const inv = new Float64Array(q);
  for (let j = 0; j < q; j++) {
    const c = cols[j];
    if (c < 0 || c >= p) fail('BAD_INPUT', `voxel index ${c} is outside 0…${p - 1}.`);
    mean[j] = st.mean[c];
    inv[j] = 1 / st.std[c];
  }
  for (let i = 0; i < n; i++) {
    const o = i * p;
    const oo = i * q;
    for (let j = 0; j < q; j++) out[oo + j] = (data[o + cols[j]] - mean[j]) * inv[j];
  }
  return out;
}
