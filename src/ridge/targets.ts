import { fail } from '../errors.ts';
import type { Matrix } from '../linalg/index.ts';
import { alloc, type WorkDtype } from './arrays.ts';
import type { Fold } from './folds.ts';
import type { TargetBatch } from './solvers.ts';

/** Fails naming the first NaN/Inf of m (`name` is 'X' or 'Y'). */
export function checkFinite(m: Matrix, name: string): void {
  const d = m.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      fail('BAD_INPUT', `${name} has a non-finite value (${d[i]}) at row ${Math.floor(i / m.cols)}, column ${i % m.cols}; remove or impute NaN/Inf before fitting.`);
    }
  }
}

/**
 * Column means in float64 of a matrix that must be finite, failing as {@link checkFinite} does.
 * One pass over m: a NaN or ±Inf makes its column's sum non-finite, and only then is m scanned.
 */
export function finiteColumnMeans(m: Matrix, name: string): Float64Array {
  const { rows, cols, data } = m;
  const s = new Float64Array(cols);
  let i = 0;
  // four rows per pass over s: 2.2x faster than one (bench:ridge's Y, 3840 × 10,000 float32: 22 ms against 50)
  for (; i + 4 <= rows; i += 4) {
    const r0 = i * cols;
    const r1 = r0 + cols;
    const r2 = r1 + cols;
    const r3 = r2 + cols;
    for (let j = 0; j < cols; j++) s[j] += data[r0 + j] + data[r1 + j] + (data[r2 + j] + data[r3 + j]);
  }
  for (; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) s[j] += data[r + j];
  }
  if (s.every(Number.isFinite)) return s.map((v) => v / m.rows);
  checkFinite(m, name);
  // finite float64 values whose sum overflows: the mean of v/rows cannot
  s.fill(0);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) s[j] += m.data[i * m.cols + j] / m.rows;
  return s;
}

/** n×b block of columns t0..t0+b of y minus `mean`, in `dtype`. */
export function centredColumns(y: Matrix, t0: number, b: number, mean: Float64Array, dtype: WorkDtype): Matrix {
  const out = alloc(y.rows * b, dtype);
  const T = y.cols;
  for (let i = 0; i < y.rows; i++) {
    const src = i * T + t0;
    const dst = i * b;
    for (let t = 0; t < b; t++) out[dst + t] = y.data[src + t] - mean[t0 + t];
  }
  return { rows: y.rows, cols: b, data: out };
}

/** The one test fold of each of n rows (−1: in none), or null when a row is in several test sets. */
function testFoldOfRows(n: number, folds: readonly Fold[]): Int32Array | null {
  const owner = new Int32Array(n).fill(-1);
  for (const [f, fold] of folds.entries()) {
    for (const i of fold.test) {
      if (owner[i] !== -1) return null;
      owner[i] = f;
    }
  }
  return owner;
}

/**
 * The targets of one batch as the solvers see them: columns `cols` of Y (n×T) minus `mean` of
 * those columns, in `dtype`, with the sums the scores need (all rows, and per fold the test rows
 * and the training mean), accumulated from the stored (rounded) values in row order. One pass
 * over the rows when every row is in at most one test set (K-fold, group K-fold).
 */
export function targetBatch(Y: Matrix, cols: { t0: number; b: number } | readonly number[], mean: Float64Array, dtype: WorkDtype, folds: readonly Fold[]): TargetBatch & { testSq: Float64Array[] } {
  const n = Y.rows;
  const T = Y.cols;
  const b = 't0' in cols ? cols.b : cols.length;
  const col = 't0' in cols ? null : Int32Array.from(cols);
  const t0 = 't0' in cols ? cols.t0 : 0;
  const mu = col ? Float64Array.from(col, (c) => mean[c]) : mean.subarray(t0, t0 + b);
  const out = alloc(n * b, dtype);
  const ysum = new Float64Array(b);
  const testSum = folds.map(() => new Float64Array(b));
  const testSq = folds.map(() => new Float64Array(b));
  const owner = testFoldOfRows(n, folds);
  const src = Y.data;
  // rows in no test set add to ysum directly, test rows through their fold's sums (added after)
  for (let i = 0; i < n; i++) {
    const dst = i * b;
    if (col) for (let t = 0; t < b; t++) out[dst + t] = src[i * T + col[t]] - mu[t];
    else for (let t = 0, from = i * T + t0; t < b; t++) out[dst + t] = src[from + t] - mu[t];
    const f = owner ? owner[i] : -1;
    if (f < 0) {
      for (let t = 0; t < b; t++) ysum[t] += out[dst + t];
      continue;
    }
    const s = testSum[f];
    const q = testSq[f];
    for (let t = 0; t < b; t++) {
      const v = out[dst + t];
      s[t] += v;
      q[t] += v * v;
    }
  }
  if (owner) for (const s of testSum) for (let t = 0; t < b; t++) ysum[t] += s[t];
  if (!owner) {
    // rows in several test sets (explicit folds): each fold's test rows summed on their own
    for (const [f, fold] of folds.entries()) {
      for (const i of fold.test) {
        for (let t = 0; t < b; t++) {
          const v = out[i * b + t];
          testSum[f][t] += v;
          testSq[f][t] += v * v;
        }
      }
    }
  }
  const trainMean = folds.map((fold, f) => Float64Array.from(testSum[f], (v, t) => (ysum[t] - v) / fold.train.length));
  return { y: { rows: n, cols: b, data: out }, ysum, testSum, testSq, trainMean };
}
