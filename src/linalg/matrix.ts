import { fail } from '../errors.ts';

/** Element storage of a {@link Matrix}. */
export type MatrixData = Float32Array | Float64Array;

/**
 * A dense row-major matrix: element (i, j) is `data[i * cols + j]`; `data.length === rows * cols`.
 * Big arrays are float32; statistics and small decompositions use float64.
 */
export interface Matrix {
  rows: number;
  cols: number;
  data: MatrixData;
}

/** Wraps `data` (not copied) as a rows×cols matrix after checking its length. */
export function matrix(rows: number, cols: number, data: MatrixData): Matrix {
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || rows < 0 || cols < 0) {
    fail('BAD_INPUT', `matrix: invalid shape ${rows}×${cols}.`);
  }
  if (data.length !== rows * cols) fail('MISMATCH', `matrix: a ${rows}×${cols} matrix needs ${rows * cols} values, got ${data.length}.`);
  return { rows, cols, data };
}

/** A rows×cols matrix of zeros, float32 unless `dtype` is 'float64'. */
export function zeros(rows: number, cols: number, dtype: 'float32' | 'float64' = 'float32'): Matrix {
  return { rows, cols, data: dtype === 'float64' ? new Float64Array(rows * cols) : new Float32Array(rows * cols) };
}

/** The transpose as a new matrix of the same dtype. */
export function transpose(m: Matrix): Matrix {
  const out = m.data instanceof Float64Array ? new Float64Array(m.data.length) : new Float32Array(m.data.length);
  const { rows, cols, data } = m;
  const B = 64; // tile so both reads and writes stay in cache
  for (let i0 = 0; i0 < rows; i0 += B) {
    for (let j0 = 0; j0 < cols; j0 += B) {
      const i1 = Math.min(rows, i0 + B);
      const j1 = Math.min(cols, j0 + B);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * rows + i] = data[i * cols + j];
    }
  }
  return { rows: cols, cols: rows, data: out };
}

/** Rows `start..end-1` as a new matrix (copy). */
export function sliceRows(m: Matrix, start: number, end: number): Matrix {
  return { rows: end - start, cols: m.cols, data: m.data.slice(start * m.cols, end * m.cols) };
}

/** The rows listed in `index`, in that order (copy). */
export function takeRows(m: Matrix, index: ArrayLike<number>): Matrix {
  const out = m.data instanceof Float64Array ? new Float64Array(index.length * m.cols) : new Float32Array(index.length * m.cols);
  for (let r = 0; r < index.length; r++) out.set(m.data.subarray(index[r] * m.cols, (index[r] + 1) * m.cols), r * m.cols);
  return { rows: index.length, cols: m.cols, data: out };
}

/** Columns `start..end-1` as a new row-major matrix (copy). */
export function sliceCols(m: Matrix, start: number, end: number): Matrix {
  const w = end - start;
  const out = m.data instanceof Float64Array ? new Float64Array(m.rows * w) : new Float32Array(m.rows * w);
  for (let i = 0; i < m.rows; i++) out.set(m.data.subarray(i * m.cols + start, i * m.cols + end), i * w);
  return { rows: m.rows, cols: w, data: out };
}

/** The same values as float64 (returns `m` itself when it already is). */
export function toFloat64(m: Matrix): Matrix & { data: Float64Array } {
  if (m.data instanceof Float64Array) return m as Matrix & { data: Float64Array };
  return { rows: m.rows, cols: m.cols, data: Float64Array.from(m.data) };
}

/** The same values rounded to float32 (returns `m` itself when it already is). */
export function toFloat32(m: Matrix): Matrix & { data: Float32Array } {
  if (m.data instanceof Float32Array) return m as Matrix & { data: Float32Array };
  return { rows: m.rows, cols: m.cols, data: Float32Array.from(m.data) };
}
