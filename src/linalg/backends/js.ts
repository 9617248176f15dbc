import type { GemmBackend, GemmOptions } from '../backend.ts';
import type { Matrix } from '../matrix.ts';

/**
 * C = op(A)·op(B) in plain TypeScript, accumulating in float64: op(A) is packed as m×k rows and
 * op(B)ᵀ as n×k rows, then 2×2 blocks of dot products run over column tiles of B that fit in cache.
 * About 1–2 GFLOP/s; used for small products and when ONNX Runtime is unavailable.
 */
export function gemmJs(a: Matrix, b: Matrix, opts: GemmOptions = {}): Matrix {
  const m = opts.transA ? a.cols : a.rows;
  const k = opts.transA ? a.rows : a.cols;
  const n = opts.transB ? b.rows : b.cols;
  const out = a.data instanceof Float64Array ? new Float64Array(m * n) : new Float32Array(m * n);
  if (m === 0 || n === 0 || k === 0) return { rows: m, cols: n, data: out };
  const ap = pack(a, !!opts.transA); // m×k
  const bp = pack(b, !opts.transB); // n×k (rows of op(B)ᵀ)
  const tile = Math.max(2, Math.floor(32768 / k) & ~1); // rows of bp per tile (~256 KB)
  for (let j0 = 0; j0 < n; j0 += tile) {
    const j1 = Math.min(n, j0 + tile);
    for (let i = 0; i < m; i += 2) {
      const two = i + 1 < m;
      const ra = i * k;
      const rb = two ? ra + k : ra;
      for (let j = j0; j < j1; j += 2) {
        const twoJ = j + 1 < j1;
        const ca = j * k;
        const cb = twoJ ? ca + k : ca;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let l = 0; l < k; l++) {
          const x0 = ap[ra + l];
          const x1 = ap[rb + l];
          const y0 = bp[ca + l];
          const y1 = bp[cb + l];
          s00 += x0 * y0;
          s01 += x0 * y1;
          s10 += x1 * y0;
          s11 += x1 * y1;
        }
        out[i * n + j] = s00;
        if (twoJ) out[i * n + j + 1] = s01;
        if (two) {
          out[(i + 1) * n + j] = s10;
          if (twoJ) out[(i + 1) * n + j + 1] = s11;
        }
      }
    }
  }
  return { rows: m, cols: n, data: out };
}

/** Rows of `transposed ? mᵀ : m` as a float64 row-major array. */
function pack(mat: Matrix, transposed: boolean): Float64Array {
  const { rows, cols, data } = mat;
  if (!transposed) return data instanceof Float64Array ? data : Float64Array.from(data);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) out[j * rows + i] = data[r + j];
  }
  return out;
}

/** The pure TypeScript backend (always available). */
export function createJsBackend(): GemmBackend {
  return {
    name: 'js',
    gemm: async (a, b, opts) => gemmJs(a, b, opts),
  };
}
