import { toFloat32, toFloat64, type Matrix } from '../linalg/index.ts';

/** Float type of the heavy products: float64 when any input is float64, else float32. */
export type WorkDtype = 'float32' | 'float64';

export function castTo(m: Matrix, dtype: WorkDtype): Matrix {
  return dtype === 'float64' ? toFloat64(m) : toFloat32(m);
}

export function alloc(n: number, dtype: WorkDtype): Float32Array | Float64Array {
  return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
}

/** The rows `idx` (sorted) of m: a view when they are contiguous, else a copy. */
export function rowsOf(m: Matrix, idx: Int32Array): Matrix {
  const n = idx.length;
  if (n > 0 && idx[n - 1] - idx[0] === n - 1) {
    return { rows: n, cols: m.cols, data: m.data.subarray(idx[0] * m.cols, (idx[n - 1] + 1) * m.cols) };
  }
  const out = m.data instanceof Float64Array ? new Float64Array(n * m.cols) : new Float32Array(n * m.cols);
  for (let r = 0; r < n; r++) out.set(m.data.subarray(idx[r] * m.cols, (idx[r] + 1) * m.cols), r * m.cols);
  return { rows: n, cols: m.cols, data: out };
}

/** Column sums in float64. */
export function columnSums(m: Matrix): Float64Array {
  const s = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) {
    const r = i * m.cols;
    for (let j = 0; j < m.cols; j++) s[j] += m.data[r + j];
  }
  return s;
}
