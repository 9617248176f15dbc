import { threadBudget } from '../threads.ts';
import { fail } from '../errors.ts';
import { eighBlocked } from './eigh/eighBlocked.ts';
import { eighQl } from './eighQl.ts';

/** Result of {@link eigh}: eigenvalues ascending, eigenvectors as the columns of `vectors`. */
export interface EighResult {
  /** n eigenvalues in ascending order. */
  values: Float64Array;
  /**
   * n×n row-major; column j (entries `vectors[i*n + j]`) is the unit eigenvector of `values[j]`.
   * Empty when the call asked for `vectors: false`.
   */
  vectors: Float64Array;
}

/** {@link EighResult} of a float32 matrix: the same layout in float32. */
export interface EighResult32 {
  values: Float32Array;
  vectors: Float32Array;
}

/** Options of {@link eigh}. */
export interface EighOptions {
  /** Compute the eigenvectors (default true); when false `vectors` is empty and the cost is O(n³) with a far smaller constant. */
  vectors?: boolean;
  /**
   * 'auto' (default): Householder + QL below {@link EIGH_BLOCKED_MIN_N}, else the blocked solver;
   * 'ql': always the Householder + QL reference (float64 arithmetic); 'blocked': always the
   * blocked reduction + divide and conquer.
   */
  method?: 'auto' | 'ql' | 'blocked';
  /**
   * Threads of the blocked solver (default: the number of cores; it uses at most 2: this one and
   * one helper). Pass 1 when several eigendecompositions already run in parallel.
   */
  threads?: number;
}

/**
 * From this n up, `eigh` runs the blocked solver. Measured on the 2-core machine (best of
 * interleaved runs): n = 32 QL 0.145 ms vs blocked 0.150 ms; n = 48 0.41 vs 0.33 ms; n = 128
 * 5.7 vs 2.5 ms. Below it the scalar Householder + QL path is as fast and needs no kernel memory.
 */
export const EIGH_BLOCKED_MIN_N = 48;

/**
 * Eigendecomposition of a real symmetric n×n matrix (row-major, both triangles read and
 * averaged), eigenvalues ascending. Float64 input computes in float64, float32 input in float32.
 *
 * Large n: the LAPACK `syevd` pipeline on WebAssembly SIMD kernels (blocked Householder
 * tridiagonalisation with GEMM trailing updates, divide and conquer with Gu–Eisenstat
 * eigenvectors, compact-WY back-transformation). Small n: Householder + implicit QL
 * ({@link eighQl}). Both are backward stable, accurate for rank-deficient and ill-conditioned
 * matrices: residual ‖AV − VΛ‖ and ‖VᵀV − I‖ of order n·eps·‖A‖ (eps of the precision).
 * Hand-written because no LAPACK binding for Node runs in-process and synchronously. Results do
 * not depend on the thread count. Kernel memory (about 5·n² elements at the peak) is kept for
 * the next call.
 *
 * @example eigh(new Float64Array([2, 1, 1, 2]), 2) // values [1, 3]
 * @example eigh(k, n, { vectors: false }).values // spectrum of a kernel matrix only
 */
export function eigh(a: Float64Array, n: number, opts?: EighOptions): EighResult;
export function eigh(a: Float32Array, n: number, opts?: EighOptions): EighResult32;
export function eigh(a: Float64Array | Float32Array, n: number, opts: EighOptions = {}): EighResult | EighResult32 {
  if (a.length !== n * n) fail('MISMATCH', `eigh: expected ${n}×${n} = ${n * n} values, got ${a.length}.`);
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) fail('BAD_INPUT', `eigh: the matrix has a non-finite entry at (${Math.floor(i / n)}, ${i % n}).`);
  }
  const f32 = a instanceof Float32Array;
  const wantVectors = opts.vectors ?? true;
  const method = opts.method ?? 'auto';
  if (method === 'ql' || (method === 'auto' && wantVectors && n < EIGH_BLOCKED_MIN_N) || n === 0) {
    const r = eighQl(f32 ? Float64Array.from(a) : (a as Float64Array), n);
    const vectors = wantVectors ? r.vectors : new Float64Array(0);
    return f32 ? { values: Float32Array.from(r.values), vectors: Float32Array.from(vectors) } : { values: r.values, vectors };
  }
  const r = eighBlocked(a, n, f32 ? 'f32' : 'f64', wantVectors, opts.threads ?? threadBudget());
  if (f32) return { values: Float32Array.from(r.values), vectors: r.vectors as Float32Array };
  return { values: r.values, vectors: r.vectors as Float64Array };
}
