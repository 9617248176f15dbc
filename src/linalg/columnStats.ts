import { fail } from '../errors.ts';
import type { Matrix } from './matrix.ts';

/** Mean of each column of a rows×cols matrix, in float64 (length cols; empty matrix → NaN). */
export function columnMeans(m: Matrix): Float64Array {
  const { rows, cols, data } = m;
  const sum = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) sum[j] += data[r + j];
  }
  for (let j = 0; j < cols; j++) sum[j] /= rows;
  return sum;
}

/**
 * Standard deviation of each column in float64 (two-pass, `ddof` 0 by default as numpy's `std`).
 * Pass precomputed `mean` to skip the first pass.
 */
export function columnStds(m: Matrix, opts: { mean?: Float64Array; ddof?: number } = {}): Float64Array {
  const { rows, cols, data } = m;
  const mean = opts.mean ?? columnMeans(m);
  if (mean.length !== cols) fail('MISMATCH', `columnStds: mean has ${mean.length} values for ${cols} columns.`);
  const ss = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) {
      const d = data[r + j] - mean[j];
      ss[j] += d * d;
    }
  }
  const dof = rows - (opts.ddof ?? 0);
  for (let j = 0; j < cols; j++) ss[j] = Math.sqrt(ss[j] / dof);
  return ss;
}

/**
 * Column z-scores (x − mean) / std, same dtype as `m`, as a new matrix. Statistics are computed
 * from `m` unless given (e.g. training statistics applied to test data). A column whose std is 0
 * (constant) becomes all zeros rather than NaN.
 */
export function zscoreColumns(m: Matrix, opts: { mean?: Float64Array; std?: Float64Array } = {}): Matrix {
  const mean = opts.mean ?? columnMeans(m);
  const std = opts.std ?? columnStds(m, { mean });
  const { rows, cols, data } = m;
  if (mean.length !== cols || std.length !== cols) fail('MISMATCH', `zscoreColumns: statistics have ${mean.length}/${std.length} values for ${cols} columns.`);
  const inv = Float64Array.from(std, (s) => (s > 0 ? 1 / s : 0));
  const out = data instanceof Float64Array ? new Float64Array(data.length) : new Float32Array(data.length);
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) out[r + j] = (data[r + j] - mean[j]) * inv[j];
  }
  return { rows, cols, data: out };
}
