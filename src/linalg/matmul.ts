import { fail } from '../errors.ts';
import type { GemmOptions } from './backend.ts';
import { gemmJs } from './backends/js.ts';
import { toFloat64, type Matrix } from './matrix.ts';
import { forcedBackend, getBackend } from './registry.ts';

/** Options of {@link matmul}. */
export interface MatmulOptions extends GemmOptions {
  /** Scale of the product (default 1). */
  alpha?: number;
  /** Scale of `c` (default 1 when `c` is given). */
  beta?: number;
  /** Added as `beta·c` (m×n). */
  c?: Matrix;
  /** Use this backend by name instead of the automatic choice. */
  backend?: string;
}

/** Products with fewer multiply-adds than this run in TypeScript: a native call costs more. */
export const SMALL_GEMM_FLOPS = 1 << 18;

/**
 * C = alpha·op(A)·op(B) + beta·c, row-major. op(A) is m×k (A stored k×m when `transA`), op(B) is
 * k×n (B stored n×k when `transB`). The result is float64 if either operand is, else float32.
 * Large products run on the preferred backend (ONNX Runtime when it loads, else pure TypeScript
 * with a warning); small ones in TypeScript. Fails with MISMATCH when inner dimensions differ.
 *
 * @example await matmul(x, y, { transA: true }) // Xᵀ·Y: (n×p)ᵀ·(n×T) → p×T
 */
export async function matmul(a: Matrix, b: Matrix, opts: MatmulOptions = {}): Promise<Matrix> {
  const m = opts.transA ? a.cols : a.rows;
  const k = opts.transA ? a.rows : a.cols;
  const k2 = opts.transB ? b.cols : b.rows;
  const n = opts.transB ? b.rows : b.cols;
  if (k !== k2) {
    fail('MISMATCH', `matmul: inner dimensions differ: op(A) is ${m}×${k} but op(B) is ${k2}×${n}.`);
  }
  if (a.data.length !== a.rows * a.cols || b.data.length !== b.rows * b.cols) {
    fail('MISMATCH', 'matmul: an operand has a data length that does not match its rows×cols.');
  }
  let x = a;
  let y = b;
  if (x.data instanceof Float64Array !== y.data instanceof Float64Array) {
    x = toFloat64(x);
    y = toFloat64(y);
  }
  const g: GemmOptions = { transA: opts.transA, transB: opts.transB };
  let out: Matrix;
  if (m === 0 || n === 0 || k === 0) {
    out = gemmJs(x, y, g);
  } else {
    const name = opts.backend ?? forcedBackend() ?? (m * n * k < SMALL_GEMM_FLOPS ? 'js' : undefined);
    const backend = await getBackend(name);
    out = await backend.gemm(x, y, g);
  }
  const alpha = opts.alpha ?? 1;
  if (alpha !== 1) for (let i = 0; i < out.data.length; i++) out.data[i] *= alpha;
  if (opts.c) {
    const c = opts.c;
    if (c.rows !== m || c.cols !== n) fail('MISMATCH', `matmul: c is ${c.rows}×${c.cols} but the product is ${m}×${n}.`);
    const beta = opts.beta ?? 1;
    for (let i = 0; i < out.data.length; i++) out.data[i] += beta * c.data[i];
  }
  return out;
}
