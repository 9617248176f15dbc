import { secularRoot } from './secularRoot.ts';

/**
 * The per-root work of a divide-and-conquer merge ({@link mergeRankOne} in stedc.ts) as
 * range tasks over kernel memory, so the kernels' helper thread can take half of each range
 * (see `WasmKernels.task`). Arguments are element indices into the float64 view (`d`, `z`,
 * `lam`, `zh`, the k×k column-major `del`, the index lists) or into the view of the working
 * precision (`uTop`, `uBot`). Every item is computed the same way whichever thread runs it.
 */
export const MERGE_TASKS = {
  /** Roots lo ≤ j < hi of the secular equation: λ_j to lam[j], d_i − λ_j to column j of del. */
  secularRoots(h: Float64Array, _h32: Float32Array, lo: number, hi: number, kk: number, d: number, z: number, rho: number, del: number, lam: number): void {
    const dv = h.subarray(d, d + kk);
    const zv = h.subarray(z, z + kk);
    for (let j = lo; j < hi; j++) h[lam + j] = secularRoot(kk, dv, zv, rho, j, h.subarray(del + j * kk, del + (j + 1) * kk));
  },

  /**
   * Löwner's formula for rows lo ≤ i < hi: ẑ_i = sign(z_i)·√(Π_j (λ_j − d_i) / Π_{j≠i} (d_j − d_i)),
   * the factors interleaved (each near 1) so the product stays in range, columns outer so del
   * is read down its columns.
   */
  lownerZ(h: Float64Array, _h32: Float32Array, lo: number, hi: number, kk: number, d: number, z: number, del: number, zh: number): void {
    for (let i = lo; i < hi; i++) h[zh + i] = h[del + i * kk + i];
    for (let j = 0; j < kk; j++) {
      const cj = del + j * kk;
      const dj = h[d + j];
      for (let i = lo; i < hi; i++) if (i !== j) h[zh + i] *= h[cj + i] / (h[d + i] - dj);
    }
    for (let i = lo; i < hi; i++) h[zh + i] = Math.sign(h[z + i]) * Math.sqrt(Math.max(0, -h[zh + i]));
  },

  /**
   * Eigenvectors lo ≤ j < hi of the rank-one update: u = ẑ./(d − λ_j) normalised, written as
   * column j of uTop (its rows: u[top[t]], t < nTop) and of uBot (rows u[bot[t]]), in float64
   * when f64 is 1, else float32.
   */
  lownerVectors(h: Float64Array, h32: Float32Array, lo: number, hi: number, kk: number, del: number, zh: number, f64: number, uTop: number, nTop: number, uBot: number, nBot: number, top: number, bot: number): void {
    const out = f64 === 1 ? h : h32;
    for (let j = lo; j < hi; j++) {
      const cj = del + j * kk;
      if (kk === 1) {
        h[cj] = 1;
      } else {
        let ss = 0;
        for (let i = 0; i < kk; i++) {
          const u = h[zh + i] / h[cj + i];
          h[cj + i] = u;
          ss += u * u;
        }
        const f = 1 / Math.sqrt(ss);
        for (let i = 0; i < kk; i++) h[cj + i] *= f;
      }
      for (let t = 0; t < nTop; t++) out[uTop + j * nTop + t] = h[cj + h[top + t]];
      for (let t = 0; t < nBot; t++) out[uBot + j * nBot + t] = h[cj + h[bot + t]];
    }
  },
};

/** Where the kernels' helper finds {@link MERGE_TASKS}. */
export const MERGE_TASK_TABLE = { url: import.meta.url, table: 'MERGE_TASKS', names: Object.keys(MERGE_TASKS) };
