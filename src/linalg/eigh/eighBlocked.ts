import { tridiagonalQl } from '../tridiagonalQl.ts';
import { wasmKernels, type Prec } from '../wasm/kernels.ts';
import { MERGE_TASK_TABLE } from './mergeTasks.ts';
import { ormtr } from './ormtr.ts';
import { stedc } from './stedc.ts';
import { sytrd } from './sytrd.ts';

/**
 * The blocked solver behind `eigh` for larger n, the LAPACK `syevd` pipeline on the WebAssembly
 * kernels: blocked Householder tridiagonalisation ({@link sytrd}), divide and conquer on the
 * tridiagonal ({@link stedc}), back-transformation by compact-WY GEMMs ({@link ormtr}); with
 * `vectors: false`, implicit QL on the tridiagonal instead (O(n²)). Computes in `prec` (the
 * tridiagonal stage in float64 either way) on `threads` threads (1 or 2). `a` is n×n row-major;
 * its two triangles are averaged. Returns eigenvalues ascending and, when asked, the eigenvectors
 * as the columns of a row-major n×n array (empty otherwise).
 */
export function eighBlocked(a: Float64Array | Float32Array, n: number, prec: Prec, vectors: boolean, threads: number): { values: Float64Array; vectors: Float64Array | Float32Array } {
  const k = wasmKernels();
  k.setThreads(threads, MERGE_TASK_TABLE);
  const mark = k.mark();
  try {
    const pa = k.alloc(n * n, prec);
    const z = k.alloc(n * n, prec); // the eigenvectors; first the scratch of the symmetrisation
    k.view(prec).set(a, pa);
    symmetrize(k, prec, n, pa, z);
    const d = new Float64Array(n);
    const e = new Float64Array(Math.max(1, n - 1));
    const tau = new Float64Array(Math.max(1, n - 1));
    sytrd(k, prec, n, pa, n, d, e, tau);
    if (!vectors) {
      const ee = new Float64Array(n);
      ee.set(e.subarray(0, n - 1));
      tridiagonalQl(d, ee, null, n);
      return { values: d.sort(), vectors: prec === 'f64' ? new Float64Array(0) : new Float32Array(0) };
    }
    const order = stedc(k, prec, n, d, e, z, n);
    ormtr(k, prec, n, pa, n, tau, z, n, n);
    const values = Float64Array.from(order, (c) => d[c]);
    // columns in eigenvalue order into A's storage, then transposed into Z's: Z's memory is then
    // the row-major result (vectors[i·n + j] = component i of eigenvector j)
    for (let j = 0; j < n; j++) k.copy(prec, n, 1, z + order[j] * n, n, pa + j * n, n);
    k.transpose(prec, n, n, pa, n, z, n);
    return { values, vectors: k.view(prec).slice(z, z + n * n) };
  } finally {
    k.release(mark);
  }
}

/** A := (A + Aᵀ)/2 for the n×n matrix at pa, through the n×n block at scratch (cache-tiled transpose). */
function symmetrize(k: ReturnType<typeof wasmKernels>, prec: Prec, n: number, pa: number, scratch: number): void {
  k.transpose(prec, n, n, pa, n, scratch, n);
  const v = k.view(prec);
  for (let i = 0; i < n * n; i++) v[pa + i] = 0.5 * (v[pa + i] + v[scratch + i]);
}
