import type { Prec, WasmKernels } from '../wasm/kernels.ts';

/** Reflectors applied per block (the k of the back-transformation's GEMMs). */
export const ORMTR_NB = 64;

/**
 * Z := Q·Z for the Q = H_0·H_1⋯H_{n−2} left by {@link sytrd} (reflectors in the strict lower
 * triangle of `a`, scalars in tau), LAPACK `ormtr` (left, no transpose, lower) in blocks of nb
 * reflectors: each block is I − V·T·Vᵀ in compact WY form (T upper triangular, `larft`), applied
 * as W = Vᵀ·Z, W := T·W, Z −= V·W, all three GEMMs. Blocks go last to first. Z is n×ncols at z.
 */
export function ormtr(k: WasmKernels, prec: Prec, n: number, a: number, lda: number, tau: Float64Array, z: number, ldz: number, ncols: number): void {
  const nq = n - 1;
  if (nq <= 0 || ncols <= 0) return;
  const nb = ORMTR_NB;
  const mark = k.mark();
  const v = k.alloc(n * nb, prec);
  const g = k.alloc(nb * nb, prec);
  const t = k.alloc(nb * nb, prec);
  const w = k.alloc(nb * ncols, prec);
  const w2 = k.alloc(nb * ncols, prec);
  for (let i0 = Math.floor((nq - 1) / nb) * nb; i0 >= 0; i0 -= nb) {
    const cnt = Math.min(nb, nq - i0);
    const mm = n - i0 - 1; // rows the block acts on: i0+1 … n−1
    // V (mm×cnt): unit lower trapezoidal, column j from A(i0+1+j+1 :, i0+j)
    k.copy(prec, mm, cnt, a + i0 * lda + i0 + 1, lda, v, mm);
    let h = k.view(prec);
    for (let j = 0; j < cnt; j++) {
      const cj = v + j * mm;
      for (let r = 0; r < j; r++) h[cj + r] = 0;
      h[cj + j] = 1;
    }
    // T from G = VᵀV: T(0:j, j) = −tau_j·T(0:j, 0:j)·G(0:j, j), T(j, j) = tau_j
    k.zero(prec, cnt, cnt, g, cnt);
    k.gemm(prec, true, false, cnt, cnt, mm, 1, v, mm, v, mm, g, cnt);
    h = k.view(prec);
    h.fill(0, t, t + cnt * cnt);
    const x = new Float64Array(cnt);
    for (let j = 0; j < cnt; j++) {
      const tj = tau[i0 + j];
      const cj = t + j * cnt;
      if (tj === 0) continue;
      for (let l = 0; l < j; l++) x[l] = -tj * h[g + j * cnt + l];
      for (let l = 0; l < j; l++) {
        let s = 0;
        for (let q = l; q < j; q++) s += h[t + q * cnt + l] * x[q];
        h[cj + l] = s;
      }
      h[cj + j] = tj;
    }
    const zi = z + i0 + 1;
    k.zero(prec, cnt, ncols, w, cnt);
    k.gemm(prec, true, false, cnt, ncols, mm, 1, v, mm, zi, ldz, w, cnt);
    k.zero(prec, cnt, ncols, w2, cnt);
    k.gemm(prec, false, false, cnt, ncols, cnt, 1, t, cnt, w, cnt, w2, cnt);
    k.gemm(prec, false, false, mm, ncols, cnt, -1, v, mm, w2, cnt, zi, ldz);
  }
  k.release(mark);
}
