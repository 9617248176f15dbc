import { fail } from '../errors.ts';
import type { Matrix } from './matrix.ts';

/**
 * Pearson correlation between column j of `a` and column j of `b` (both n×c), in float64.
 * A column that is constant in either matrix gives r = 0 (no linear relation can be measured).
 *
 * @example pearsonColumns(yTrue, yPred) // Float64Array(c): r per target
 */
export function pearsonColumns(a: Matrix, b: Matrix): Float64Array {
  if (a.rows !== b.rows || a.cols !== b.cols) fail('MISMATCH', `pearsonColumns: shapes differ (${a.rows}×${a.cols} vs ${b.rows}×${b.cols}).`);
  const { rows, cols } = a;
  const ma = new Float64Array(cols);
  const mb = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) {
      ma[j] += a.data[r + j];
      mb[j] += b.data[r + j];
    }
  }
  for (let j = 0; j < cols; j++) {
    ma[j] /= rows;
    mb[j] /= rows;
  }
  const sab = new Float64Array(cols);
  const saa = new Float64Array(cols);
  const sbb = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) {
      const x = a.data[r + j] - ma[j];
      const y = b.data[r + j] - mb[j];
      sab[j] += x * y;
      saa[j] += x * x;
      sbb[j] += y * y;
    }
  }
  const out = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    const d = Math.sqrt(saa[j] * sbb[j]);
    out[j] = d > 0 ? Math.max(-1, Math.min(1, sab[j] / d)) : 0;
  }
  return out;
}
