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

/** Column means in float64. */
export function columnMeans64(m: Matrix): Float64Array {
  const s = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) {
    const r = i * m.cols;
    for (let j = 0; j < m.cols; j++) s[j] += m.data[r + j];
  }
  return s.map((v) => v / m.rows);
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

/** Per-fold sums the scores need, for a batch of centred targets y (n×b). */
export function targetBatch(y: Matrix, folds: readonly Fold[]): TargetBatch & { testSq: Float64Array[] } {
  const b = y.cols;
  const ysum = new Float64Array(b);
  for (let i = 0; i < y.rows; i++) for (let t = 0; t < b; t++) ysum[t] += y.data[i * b + t];
  const testSum: Float64Array[] = [];
  const testSq: Float64Array[] = [];
  const trainMean: Float64Array[] = [];
  for (const fold of folds) {
    const s = new Float64Array(b);
    const q = new Float64Array(b);
    for (const i of fold.test) {
      const r = i * b;
      for (let t = 0; t < b; t++) {
        const v = y.data[r + t];
        s[t] += v;
        q[t] += v * v;
      }
    }
    testSum.push(s);
    testSq.push(q);
    trainMean.push(Float64Array.from(s, (v, t) => (ysum[t] - v) / fold.train.length));
  }
  return { y, ysum, testSum, testSq, trainMean };
}
